package io.couponrush.loadtest.door;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class OpeningDoorSettingsTest {

    static Properties properties(String... pairs) {
        var properties = new Properties();
        properties.setProperty("bench.root", "/repo");
        for (int i = 0; i < pairs.length; i += 2) {
            properties.setProperty(pairs[i], pairs[i + 1]);
        }
        return properties;
    }

    @Test
    void fullSizeIsThreeThousandPeopleForAThousandCopiesOnOneInstance() {
        var settings = OpeningDoorSettings.from(properties("bench.scenario", "opening-door", "bench.instances", ""));

        assertThat(settings.users()).isEqualTo(3_000);
        assertThat(settings.stock()).isEqualTo(1_000);
        assertThat(settings.instances()).isEqualTo(1);
        assertThat(settings.strategy()).isEqualTo("batched");
        assertThat(settings.launchWindow()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.patience()).isEqualTo(Duration.ofMinutes(10));
        assertThat(settings.jar()).isEqualTo(Path.of("/repo/service/target/couponrush-service.jar"));
        assertThat(settings.results()).isEqualTo(Path.of("/repo/loadtest/results"));
        assertThat(settings.command()).endsWith("-DskipTests -Dbench.scenario=opening-door");
    }

    @Test
    void smokeIsATenthOfIt() {
        var settings = OpeningDoorSettings.from(properties("bench.smoke", "true", "bench.users", " "));

        assertThat(settings.users()).isEqualTo(300);
        assertThat(settings.stock()).isEqualTo(100);
        assertThat(settings.patience()).isEqualTo(Duration.ofMinutes(3));
        assertThat(settings.warmupUsers()).isLessThan(OpeningDoorSettings.from(properties()).warmupUsers());
    }

    @Test
    void givenPropertiesReplaceTheDefaults() {
        var settings = OpeningDoorSettings.from(properties("bench.strategies", "redis-gate", "bench.instances", "2",
                "bench.users", "5_000", "bench.stock", "1000", "bench.rampSeconds", "0.5", "bench.patienceSeconds", "90",
                "bench.serviceJvmArgs", " -Xmx1g "));

        assertThat(settings.strategy()).isEqualTo("redis-gate");
        assertThat(settings.instances()).isEqualTo(2);
        assertThat(settings.users()).isEqualTo(5_000);
        assertThat(settings.launchWindow()).isEqualTo(Duration.ofMillis(500));
        assertThat(settings.patience()).isEqualTo(Duration.ofSeconds(90));
        assertThat(settings.serviceJvmArgs()).containsExactly("-Xmx1g");
    }

    @Test
    void theLimitsPerAddressOnLoginAndRefreshAreOutOfReachSinceTheWholeCrowdIsOneAddress() {
        assertThat(OpeningDoorSettings.serviceArgs()).containsExactly(
                "--couponrush.rate-limits.login-per-ip.capacity=2000000000",
                "--couponrush.rate-limits.refresh-per-ip.capacity=2000000000");
    }

    @Test
    void theCrowdsTokensAreRefusedAfterTheirLifeAndTheSkew() {
        assertThat(OpeningDoorSettings.TOKEN_LIFETIME.plus(OpeningDoorSettings.EXP_SKEW)).isEqualTo(Duration.ofSeconds(61));
        assertThat(OpeningDoorSettings.PASSWORD.length()).isBetween(8, 72);
    }

    @Test
    void refusesWhatCannotBeMeasured() {
        assertThatThrownBy(() -> OpeningDoorSettings.from(properties("bench.strategies", "batched,atomic")))
                .hasMessageContaining("one strategy");
        assertThatThrownBy(() -> OpeningDoorSettings.from(properties("bench.strategies", "none")))
                .hasMessageContaining("bench.strategies");
        assertThatThrownBy(() -> OpeningDoorSettings.from(properties("bench.instances", "0")))
                .hasMessageContaining("bench.instances");
        assertThatThrownBy(() -> OpeningDoorSettings.from(properties("bench.stock", "0")))
                .hasMessageContaining("bench.stock");
        assertThatThrownBy(() -> OpeningDoorSettings.from(properties("bench.patienceSeconds", "0")))
                .hasMessageContaining("patience");
    }
}
