package io.couponrush.loadtest.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class RoomSettingsTest {

    static Properties properties(String... pairs) {
        var properties = new Properties();
        properties.setProperty("bench.root", "/repo");
        for (int i = 0; i < pairs.length; i += 2) {
            properties.setProperty(pairs[i], pairs[i + 1]);
        }
        return properties;
    }

    @Test
    void fullSizeIsTenThousandPeopleForAThousandCopiesLetThroughInFiveSeconds() {
        var settings = RoomSettings.from(properties("bench.scenario", "waiting-room", "bench.users", ""));

        assertThat(settings.users()).isEqualTo(10_000);
        assertThat(settings.stock()).isEqualTo(1_000);
        assertThat(settings.admitPerSecond()).isEqualTo(200);
        assertThat(settings.cases()).containsExactly(RoomCase.OFF, RoomCase.FIFO, RoomCase.RAFFLE);
        assertThat(settings.strategy()).isEqualTo("batched");
        assertThat(settings.instances()).isEqualTo(2);
        assertThat(settings.joinWindow()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.tolerance()).isEqualTo(Duration.ofSeconds(3));
        assertThat(settings.command()).endsWith("-DskipTests -Dbench.scenario=waiting-room");
    }

    @Test
    void smokeIsSixHundredPeopleForSixtyCopies() {
        var settings = RoomSettings.from(properties("bench.smoke", "true"));

        assertThat(settings.users()).isEqualTo(600);
        assertThat(settings.stock()).isEqualTo(60);
        assertThat(settings.admitPerSecond()).isEqualTo(12);
        assertThat(settings.joinWindow()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void givenPropertiesReplaceTheDefaults() {
        var settings = RoomSettings.from(properties("bench.cases", "raffle, fifo", "bench.admitPerSecond", "50.5",
                "bench.instances", "1", "bench.toleranceSeconds", "1.5", "bench.rampSeconds", "0.5", "bench.stock", "10"));

        assertThat(settings.cases()).containsExactly(RoomCase.RAFFLE, RoomCase.FIFO);
        assertThat(settings.admitPerSecond()).isEqualTo(50.5);
        assertThat(settings.instances()).isEqualTo(1);
        assertThat(settings.tolerance()).isEqualTo(Duration.ofMillis(1_500));
        assertThat(settings.joinWindow()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void refusesWhatCannotRun() {
        assertThatThrownBy(() -> RoomSettings.from(properties("bench.cases", "lottery"))).hasMessageContaining("off, fifo, raffle");
        assertThatThrownBy(() -> RoomSettings.from(properties("bench.strategies", "batched,atomic"))).hasMessageContaining("one strategy");
        assertThatThrownBy(() -> RoomSettings.from(properties("bench.admitPerSecond", "0"))).hasMessageContaining("admitPerSecond");
    }
}
