package io.couponrush.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.couponrush.support.MutableClock;
import io.couponrush.user.Role;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;

class VerifiedTokensTest {

    private final MutableClock clock = new MutableClock();
    private final JwtProperties properties = new JwtProperties("a-test-secret-of-at-least-32-bytes-long", "couponrush",
            "couponrush", Duration.ofMinutes(10), Duration.ofSeconds(60), 1000, 100);
    private final SecurityConfig config = new SecurityConfig(new MockEnvironment());
    private final javax.crypto.spec.SecretKeySpec key = config.jwtKey(properties, new MockEnvironment());
    private final TokenService tokens = new TokenService(config.jwtEncoder(key), properties, clock, null);
    private final AtomicInteger verifications = new AtomicInteger();

    private VerifiedTokens cache(int size) {
        var real = config.jwtDecoder(key, withCacheSize(0), clock);
        JwtDecoder counting = token -> {
            verifications.incrementAndGet();
            return real.decode(token);
        };
        var timestamps = new org.springframework.security.oauth2.jwt.JwtTimestampValidator();
        timestamps.setClock(clock);
        return new VerifiedTokens(counting, timestamps, clock, size);
    }

    private JwtProperties withCacheSize(int size) {
        return new JwtProperties(properties.secret(), properties.issuer(), properties.audience(), properties.ttl(),
                properties.accountCacheTtl(), properties.accountCacheSize(), size);
    }

    @Test
    void verifiesEachTokenOnce() {
        var cache = cache(100);
        var token = tokens.mint(7, Role.USER).accessToken();

        var first = cache.decode(token);
        var second = cache.decode(token);

        assertThat(second.getSubject()).isEqualTo("7");
        assertThat(second).isSameAs(first);
        assertThat(verifications).hasValue(1);
    }

    @Test
    void anAlteredTokenIsVerifiedAndRefusedEvenWhileTheOriginalIsRemembered() {
        var cache = cache(100);
        var token = tokens.mint(7, Role.USER).accessToken();
        cache.decode(token);
        var signature = token.substring(token.lastIndexOf('.') + 1);
        var forged = token.substring(0, token.lastIndexOf('.') + 1)
                + (signature.charAt(0) == 'A' ? 'B' : 'A') + signature.substring(1);

        assertThatThrownBy(() -> cache.decode(forged)).isInstanceOf(JwtException.class);
        assertThat(verifications).hasValue(2);
    }

    @Test
    void aRememberedTokenIsRefusedOnceItExpiresByTheServiceClock() {
        var cache = cache(100);
        var token = tokens.mint(7, Role.USER).accessToken();
        cache.decode(token);

        clock.advance(properties.ttl().plus(Duration.ofSeconds(61))); // past exp and the 60 s of skew

        assertThatThrownBy(() -> cache.decode(token)).isInstanceOf(JwtValidationException.class);
        assertThatThrownBy(() -> cache.decode(token)).isInstanceOf(JwtValidationException.class);
        assertThat(verifications).as("forgotten on expiry, so verified (and refused) again").hasValue(2);
    }

    @Test
    void failuresAreNotRemembered() {
        var cache = cache(100);

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> cache.decode("not.a.token")).isInstanceOf(JwtException.class);
        }

        assertThat(verifications).hasValue(3);
        assertThat(cache.size()).isZero();
    }

    @Test
    void holdsAtMostItsSize() {
        var cache = cache(10);

        for (long user = 1; user <= 100; user++) {
            cache.decode(tokens.mint(user, Role.USER).accessToken());
        }

        assertThat(cache.size()).isLessThanOrEqualTo(10);
    }
}
