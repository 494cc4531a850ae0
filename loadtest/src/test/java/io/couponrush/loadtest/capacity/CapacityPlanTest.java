package io.couponrush.loadtest.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CapacityPlanTest {

    private static final Sale MILLION = new Sale(5_000, 1_000_000, 10, 0, 1, Arrival.UNIFORM);

    @Test
    void sizesTheInstancesForThePeakOfRefusals() {
        var plan = CapacityPlan.of(MILLION, Costs.gate(), Assumptions.DEFAULT);

        assertThat(plan.peakRate()).isCloseTo(100_000, within(1e-6));
        assertThat(plan.httpCores()).isCloseTo(20, within(1e-9)); // 100,000/s × 0.2 ms
        assertThat(plan.instances()).isEqualTo(17); // 20 cores / (2 × 0.6) = 16.7
        assertThat(plan.httpUtilisation()).isCloseTo(20.0 / 34, within(1e-9));
    }

    @Test
    void theCopiesQueueAtTheGrantsCostAndTheQueueDrainsOnTheRefusalsSpareCores() {
        var plan = CapacityPlan.of(MILLION, Costs.gate(), Assumptions.DEFAULT);

        assertThat(plan.sellOutUtilisation()).isCloseTo(50.0 / 34, within(1e-9)); // 100,000/s × 0.5 ms on 34 cores
        // 0.05 s of 16 cores too many = 0.8 core-seconds, drained by 34 - 20 = 14 spare cores
        assertThat(plan.sellOutBacklogMillis()).isCloseTo(0.8 / 14 * 1000, within(1e-6));
    }

    @Test
    void oneShardCarriesOneCouponAndSaysWhenItCannot() {
        var plan = CapacityPlan.of(MILLION, Costs.gate(), Assumptions.DEFAULT);

        assertThat(plan.gateRoundTripsPerSecond()).isCloseTo(100_000, within(1e-6));
        assertThat(plan.gateCommandsPerSecond()).isCloseTo(300_000, within(1e-6));
        assertThat(plan.gateUtilisation()).isCloseTo(1.0, within(1e-9)); // 100,000/s × 0.01 ms
        assertThat(plan.gateCapRate()).isCloseTo(60_000, within(1e-6));
        assertThat(plan.gateFits()).isFalse();
        var faster = CapacityPlan.of(MILLION, Costs.gate(), new Assumptions(2, 0.6, 2));
        assertThat(faster.gateUtilisation()).isCloseTo(0.5, within(1e-9));
        assertThat(faster.gateFits()).isTrue();
    }

    @Test
    void theCopiesCostTheShardMoreAndItsQueueDrainsOnWhatTheRefusalsLeave() {
        // cores 1.25× as fast: 0.016 ms per grant, 0.008 per refusal at the shard
        var plan = CapacityPlan.of(MILLION, Costs.gate(), new Assumptions(2, 0.6, 1.25));

        assertThat(plan.gateUtilisation()).isCloseTo(0.8, within(1e-9));
        assertThat(plan.gateSellOutUtilisation()).isCloseTo(1.6, within(1e-9));
        // 5,000 × 0.016 ms = 80 ms of work within 50 ms: 30 ms left, drained at 1 - 0.8 of the thread
        assertThat(plan.gateSellOutBacklogMillis()).isCloseTo(150, within(1e-6));
        assertThat(CapacityPlan.of(MILLION, Costs.gate(), Assumptions.DEFAULT).gateSellOutBacklogMillis()).isInfinite();
    }

    @Test
    void theDatabaseGrowsWithTheCopiesNotTheCrowd() {
        var plan = CapacityPlan.of(MILLION, Costs.gate(), Assumptions.DEFAULT);
        var tenMillion = CapacityPlan.of(new Sale(5_000, 10_000_000, 10, 0, 1, Arrival.UNIFORM), Costs.gate(),
                Assumptions.DEFAULT);

        assertThat(plan.grantStatements()).isCloseTo(1_500, within(1e-9));
        assertThat(plan.grantCommits()).isCloseTo(50, within(1e-9));
        assertThat(plan.grantCpuSeconds()).isCloseTo(1.0, within(1e-9));
        // at 0.2 ms per grant the coupon's row needs 1 s for 5,000 copies: later than the 0.05 s of presses
        assertThat(plan.sellOutSeconds()).isCloseTo(1.0, within(1e-9));
        assertThat(plan.refusalStatements()).isZero();
        assertThat(tenMillion.grantStatements()).isEqualTo(plan.grantStatements());
        assertThat(tenMillion.instances()).isGreaterThan(plan.instances() * 9);
    }

    @Test
    void retriesMultiplyTheRefusedAndAFrontLoadedCrowdItsPeak() {
        var retrying = new Sale(5_000, 1_000_000, 10, 0.5, 1, Arrival.UNIFORM);
        var front = new Sale(5_000, 1_000_000, 10, 0, 1, Arrival.FRONT_LOADED);

        assertThat(retrying.requests()).isCloseTo(5_000 + 995_000 * 2, within(1e-6));
        // 100,000 presses/s and half of every refused second's requests again: towards 200,000/s by the end
        assertThat(CapacityPlan.of(retrying, Costs.gate(), Assumptions.DEFAULT).peakRate())
                .isCloseTo(200_000, within(1_000.0));
        // a front-loaded crowd's retries land in its quieter tail: less than twice its 500,000/s
        var frontRetrying = new Sale(5_000, 1_000_000, 10, 0.5, 1, Arrival.FRONT_LOADED);
        assertThat(frontRetrying.peakRequestRate()).isBetween(500_000.0, 1_000_000.0 * 0.8);
        assertThat(front.peakPressRate()).isCloseTo(500_000, within(1e-6));
        assertThat(front.sellOutSeconds()).isCloseTo(0.01, within(1e-12)); // 0.5 % of the crowd: 1 % of the first tenth
    }

    @Test
    void firstPressesPayTheirAccountsFirstTouchAndRetriesDoNot() {
        var retrying = new Sale(5_000, 1_000_000, 10, 0.5, 1, Arrival.UNIFORM);

        var plan = CapacityPlan.of(retrying, Costs.gateWithFirstTouch(0.1), Assumptions.DEFAULT);

        // (about) 200,000 req/s × 0.2 ms + 100,000 first presses/s × 0.1 ms = 50 cores
        assertThat(plan.httpCores()).isCloseTo(plan.peakRate() * 0.2 / 1000 + 10, within(1e-9));
        assertThat(plan.httpCores()).isCloseTo(50, within(0.3));
        // one account read's share per person, on the refusal path: 1,000,000 × 0.01
        assertThat(plan.refusalStatements()).isCloseTo(10_000, within(1e-6));
        assertThat(plan.refusalStatementsPerSecond()).isCloseTo(1_000, within(1e-6));
    }

    @Test
    void refusesAssumptionsThatMeanNothing() {
        assertThatThrownBy(() -> new Sale(1, 10, 1, 1.0, 1, Arrival.UNIFORM)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Assumptions(2, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
