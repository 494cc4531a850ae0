package io.couponrush.loadtest.door;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class OpeningDoorRunnerTest {

    @Test
    void aSpoiledTokenKeepsItsShapeButNotItsSignature() {
        var signature = new byte[32];
        var token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);

        var spoiled = OpeningDoorRunner.spoiled(token);

        assertThat(spoiled).hasSameSizeAs(token).isNotEqualTo(token);
        assertThat(spoiled.substring(0, token.lastIndexOf('.'))).isEqualTo(token.substring(0, token.lastIndexOf('.')));
        var decoded = Base64.getUrlDecoder().decode(spoiled.substring(spoiled.lastIndexOf('.') + 1)
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(decoded).isNotEqualTo(signature);
    }

    @Test
    void retryAfterIsDeltaSecondsAndAnythingElseOneSecond() {
        assertThat(Crowd.seconds(" 12 ")).isEqualTo(12);
        assertThat(Crowd.seconds("Wed, 21 Oct 2026 07:28:00 GMT")).isEqualTo(1);
    }
}
