package io.couponrush.loadtest.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class FaultSettingsTest {

    @Test
    void fullSizeRunsEveryFaultOnThreeThousandUsers() {
        var settings = FaultSettings.from(new Properties(), false);

        assertThat(settings.faults()).containsExactly(Fault.NONE, Fault.KILL, Fault.STOP, Fault.REDIS, Fault.MARIADB);
        assertThat(settings.instances()).isEqualTo(2);
        assertThat(settings.users()).isEqualTo(3_000);
        assertThat(settings.stock()).isEqualTo(1_000);
        assertThat(settings.stopFor()).isEqualTo(Duration.ofSeconds(8));
        assertThat(settings.redisDownFor()).isEqualTo(Duration.ofSeconds(3));
        assertThat(settings.mariadbDownFor()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.settleAfterFault()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.clientTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.retries()).isEqualTo(3);
    }

    @Test
    void smokeIsSmallButAFrozenInstanceStillOutlastsTheClientTimeout() {
        var settings = FaultSettings.from(new Properties(), true);

        assertThat(settings.users()).isEqualTo(300);
        assertThat(settings.stock()).isEqualTo(100);
        assertThat(settings.stopFor()).isGreaterThan(settings.clientTimeout());
        assertThat(settings.faults()).hasSize(5);
    }

    @Test
    void blankPropertiesKeepTheDefaultsAndGivenOnesReplaceThem() {
        var settings = FaultSettings.from(properties(
                "bench.faults", " mariadb, kill ,kill", "bench.instances", "3", "bench.users", "1_000",
                "bench.stock", "", "bench.rampSeconds", "2.5", "bench.faultAt", "0.5", "bench.settleSeconds", "20"),
                false);

        assertThat(settings.faults()).containsExactly(Fault.MARIADB, Fault.KILL);
        assertThat(settings.instances()).isEqualTo(3);
        assertThat(settings.users()).isEqualTo(1_000);
        assertThat(settings.stock()).isEqualTo(1_000);
        assertThat(settings.launchWindow()).isEqualTo(Duration.ofMillis(2_500));
        assertThat(settings.faultAt()).isEqualTo(0.5);
        assertThat(settings.settleAfterFault()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void refusesOneInstanceAndUnknownFaults() {
        assertThatThrownBy(() -> FaultSettings.from(properties("bench.instances", "1"), true))
                .hasMessageContaining("at least 2");
        assertThatThrownBy(() -> FaultSettings.from(properties("bench.faults", "kill,reboot"), true))
                .hasMessageContaining("unknown fault 'reboot'")
                .hasMessageContaining("mariadb");
        assertThatThrownBy(() -> FaultSettings.from(properties("bench.faultAt", "30"), true))
                .hasMessageContaining("bench.faultAt");
    }

    private static Properties properties(String... pairs) {
        var properties = new Properties();
        for (int i = 0; i < pairs.length; i += 2) {
            properties.setProperty(pairs[i], pairs[i + 1]);
        }
        return properties;
    }
}
