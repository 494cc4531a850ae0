package io.couponrush.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.couponrush.loadtest.simulation.Scenario;
import io.couponrush.loadtest.simulation.TokenMode;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class PlanTest {

    @Test
    void seedRushReplaysTheSeedReportInSeedModeByDefault() {
        var plan = Plan.of(Scenario.SEED_RUSH, false, Overrides.NONE);

        assertThat(plan.mode()).isEqualTo(TokenMode.SEED);
        assertThat(plan.stock()).isEqualTo(50_000);
        assertThat(plan.perUserLimit()).isZero();
        assertThat(plan.tokenCount()).isEqualTo(1);
        assertThat(plan.shape().users()).isEqualTo(2_000);
        assertThat(plan.shape().nominalLength()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void realModeUsesDistinctAccountsWithALimitOfOne() {
        var plan = Plan.of(Scenario.SEED_RUSH, false, overrides("bench.mode", "real"));

        assertThat(plan.mode()).isEqualTo(TokenMode.DISTINCT);
        assertThat(plan.perUserLimit()).isEqualTo(1);
        assertThat(plan.tokenCount()).isEqualTo(60_000);
        assertThat(plan.describeMode()).isEqualTo("real mode: 60,000 accounts taken in turn, per-user limit 1");
    }

    @Test
    void optimisticHundredPicksRandomAccounts() {
        var plan = Plan.of(Scenario.OPTIMISTIC_100, false, Overrides.NONE);

        assertThat(plan.mode()).isEqualTo(TokenMode.RANDOM);
        assertThat(plan.users()).isEqualTo(100_000);
        assertThat(plan.stock()).isEqualTo(100);
    }

    @Test
    void aBurstGetsOneAccountPerArrivalEvenWhenArrivalsAreRaised() {
        var plan = Plan.of(Scenario.FLASH_BURST, true, overrides("bench.vus", "800"));

        assertThat(plan.shape().users()).isEqualTo(800);
        assertThat(plan.users()).isEqualTo(800);
        assertThat(plan.shape().connections()).isEqualTo(500);
        assertThat(plan.stock()).isEqualTo(100);
    }

    @Test
    void commandLineSizesReplaceTheScenarioValues() {
        var properties = new Properties();
        properties.setProperty("bench.vus", "300");
        properties.setProperty("bench.rampSeconds", "1.5");
        properties.setProperty("bench.holdSeconds", "10.8");
        properties.setProperty("bench.pauseMillis", "250");
        properties.setProperty("bench.stock", "5_000");
        properties.setProperty("bench.perUserLimit", "3");
        properties.setProperty("bench.users", "");
        properties.setProperty("bench.connections", "64");

        var plan = Plan.of(Scenario.SEED_RUSH, false, Overrides.from(properties));

        assertThat(plan.shape().users()).isEqualTo(300);
        assertThat(plan.shape().ramp()).isEqualTo(Duration.ofMillis(1_500));
        assertThat(plan.shape().hold()).isEqualTo(Duration.ofMillis(10_800));
        assertThat(plan.shape().pause()).isEqualTo(Duration.ofMillis(250));
        assertThat(plan.stock()).isEqualTo(5_000);
        assertThat(plan.perUserLimit()).isEqualTo(3);
        // Looping users keep their own connection; only a burst goes through a shared pool.
        assertThat(plan.shape().connections()).isZero();
        assertThat(Plan.of(Scenario.FLASH_BURST, false, Overrides.from(properties)).shape().connections())
                .isEqualTo(64);
    }

    private static Overrides overrides(String name, String value) {
        var properties = new Properties();
        properties.setProperty(name, value);
        return Overrides.from(properties);
    }
}
