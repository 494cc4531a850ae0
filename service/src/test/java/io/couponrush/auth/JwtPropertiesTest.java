package io.couponrush.auth;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class JwtPropertiesTest {

    private static JwtProperties secret(String secret) {
        return new JwtProperties(secret, "couponrush", "couponrush", Duration.ofHours(1), Duration.ofSeconds(1), 1000, 100);
    }

    @Test
    void refusesAMissingSecretAgainstRealServers() {
        assertThatIllegalStateException().isThrownBy(() -> secret(null).signingKey(false)).withMessageContaining("must be set");
        assertThatIllegalStateException().isThrownBy(() -> secret("  ").signingKey(false));
    }

    @Test
    void refusesTheShippedDefaultAgainstRealServers() {
        assertThatIllegalStateException()
                .isThrownBy(() -> secret(JwtProperties.DEVELOPMENT_SECRET).signingKey(false))
                .withMessageContaining("development default");
    }

    @Test
    void refusesASecretShorterThan32Bytes() {
        assertThatIllegalStateException().isThrownBy(() -> secret("x".repeat(31)).signingKey(false)).withMessageContaining("32 bytes");
        assertThatIllegalStateException().isThrownBy(() -> secret("x".repeat(31)).signingKey(true));
    }

    @Test
    void acceptsALongEnoughSecret() {
        assertThat(secret("y".repeat(32)).signingKey(false)).isEqualTo("y".repeat(32).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void refusesAnAccountCacheThatWouldDelayRevocationBeyondAMinute() {
        assertThatIllegalArgumentException().isThrownBy(() ->
                new JwtProperties(null, "couponrush", "couponrush", Duration.ofHours(1), Duration.ofMinutes(2), 1000, 100));
        assertThatIllegalArgumentException().isThrownBy(() ->
                new JwtProperties(null, "couponrush", "couponrush", Duration.ofHours(1), Duration.ZERO, 1000, 100));
        assertThatIllegalArgumentException().isThrownBy(() ->
                new JwtProperties(null, "couponrush", "couponrush", Duration.ofHours(1), Duration.ofSeconds(1), 0, 100));
    }

    @Test
    void refusesABlankAudience() {
        assertThatIllegalArgumentException().isThrownBy(() ->
                new JwtProperties(null, "couponrush", " ", Duration.ofHours(1), Duration.ofSeconds(1), 1000, 100));
    }

    @Test
    void theEmbeddedRunFallsBackToTheDevelopmentSecret() {
        assertThat(secret(null).signingKey(true)).isEqualTo(JwtProperties.DEVELOPMENT_SECRET.getBytes(StandardCharsets.UTF_8));
    }
}
