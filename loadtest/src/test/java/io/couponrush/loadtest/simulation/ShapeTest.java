package io.couponrush.loadtest.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ShapeTest {

    @Test
    void describesTheSeedReportShapesInTheirOwnTerms() {
        assertThat(Scenario.SEED_RUSH.fullShape().describe())
                .isEqualTo("ramp 0→2,000 VUs in 10 s, hold 80 s, loop: request + pause 1 s");
        assertThat(Scenario.OPTIMISTIC_100.fullShape().describe())
                .isEqualTo("100 VUs for 10.8 s, loop: request + pause 1 s");
        assertThat(Scenario.FLASH_BURST.fullShape().describe())
                .isEqualTo("20,000 users, one request each, arriving within 2 s through 500 shared connections (a front proxy's pool; latency counts from arrival)");
        assertThat(Scenario.FLASH_BURST.fullShape().withConnections(0).describe())
                .isEqualTo("20,000 users, one request each, arriving within 2 s");
        assertThat(Scenario.SATURATION.fullShape().describe())
                .isEqualTo("100 VUs for 30 s, loop: request, no pause (closed model)");
    }

    @Test
    void refusesShapesThatWouldNeverStopOrNeverStart() {
        assertThatThrownBy(() -> Shape.loop(10, Duration.ZERO, Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Shape.burst(0, Duration.ofSeconds(2), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void smokeSizesRunInSecondsNotMinutes() {
        for (var scenario : Scenario.values()) {
            assertThat(scenario.shape(true).nominalLength()).isLessThanOrEqualTo(Duration.ofSeconds(10));
            assertThat(scenario.sizing(true).stock()).isLessThanOrEqualTo(scenario.sizing(false).stock());
        }
    }
}
