package io.couponrush.loadtest.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SimulationSettingsTest {

    @Test
    void propertiesGiveBackTheSameSettings() {
        var settings = new SimulationSettings("http://127.0.0.1:9999", Target.ISSUE, 42, Path.of("/tmp/tokens.txt"),
                500, TokenMode.DISTINCT, Shape.loop(100, Duration.ofSeconds(2), Duration.ofMillis(4_500),
                        Duration.ofSeconds(1)));
        var properties = new Properties();
        properties.putAll(settings.toProperties());

        assertThat(SimulationSettings.from(properties, Scenario.SEED_RUSH)).isEqualTo(settings);
    }

    @Test
    void aSharedConnectionPoolSurvivesTheRoundTrip() {
        var settings = new SimulationSettings("http://127.0.0.1:9999", Target.PING, 0, Path.of("/tmp/tokens.txt"),
                20_000, TokenMode.DISTINCT, Shape.burst(20_000, Duration.ofSeconds(2), 250));
        var properties = new Properties();
        properties.putAll(settings.toProperties());

        assertThat(SimulationSettings.from(properties, Scenario.FLASH_BURST)).isEqualTo(settings);
    }

    @Test
    void absentPropertiesFallBackToTheScenarioFullSize() {
        var properties = new Properties();
        properties.setProperty("sim.tokenFile", "/tmp/tokens.txt");
        properties.setProperty("sim.target", "ping");

        var settings = SimulationSettings.from(properties, Scenario.FLASH_BURST);

        assertThat(settings.shape()).isEqualTo(Scenario.FLASH_BURST.fullShape());
        assertThat(settings.tokenMode()).isEqualTo(TokenMode.DISTINCT);
        assertThat(settings.target()).isEqualTo(Target.PING);
    }

    @Test
    void issuingNeedsACouponAndATokenFile() {
        var properties = new Properties();
        properties.setProperty("sim.tokenFile", "/tmp/tokens.txt");
        assertThatThrownBy(() -> SimulationSettings.from(properties, Scenario.SEED_RUSH))
                .hasMessageContaining("sim.couponId");
        assertThatThrownBy(() -> SimulationSettings.from(new Properties(), Scenario.SEED_RUSH))
                .hasMessageContaining("sim.tokenFile");
    }
}
