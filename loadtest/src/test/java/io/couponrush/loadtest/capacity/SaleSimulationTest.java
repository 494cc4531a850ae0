package io.couponrush.loadtest.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SaleSimulationTest {

    private static SaleSimulation.Settings settings(Sale sale, StrategyCosts costs, int instances, int cores) {
        return new SaleSimulation.Settings(sale, costs, new SaleSimulation.Fleet(instances, cores), 0, 0, 1);
    }

    @Test
    void oneCoreWithPoissonArrivalsIsAnMD1Queue() {
        // λ = 0.5 per ms, service 1 ms: ρ = 0.5, mean wait ρ s / (2 (1 - ρ)) = 0.5 ms (Pollaczek–Khinchine)
        int people = 200_000;
        var presses = new double[people];
        var random = new SplittableRandom(42);
        double t = 0;
        for (int i = 0; i < people; i++) {
            t += -Math.log(1 - random.nextDouble()) * 2; // ms
            presses[i] = t / 1000;
        }
        var sale = new Sale(0, people, t / 1000, 0, 1, Arrival.UNIFORM);

        var result = SaleSimulation.run(settings(sale, Costs.instanceOnly(1, false), 1, 1), presses);

        assertThat(result.meanLatency()).isCloseTo(1.5, within(0.05));
        assertThat(result.instanceUtilisation()).isCloseTo(0.5, within(0.01));
        assertThat(result.refusals()).isEqualTo(people);
    }

    @Test
    void aCrowdAllAtOnceLeavesWhenTheFleetsCoresHaveDoneItsWork() {
        // 1,000 requests of 1 ms at t = 0 on 2 instances × 2 cores: 250 ms
        var sale = new Sale(0, 1_000, 1, 0, 1, Arrival.UNIFORM);

        var result = SaleSimulation.run(settings(sale, Costs.instanceOnly(1, false), 2, 2), new double[1_000]);

        assertThat(result.lastAnswerSeconds()).isCloseTo(0.25, within(1e-9));
        assertThat(result.latency()[3]).isCloseTo(250, within(1e-9));
    }

    @Test
    void subGatesSplitTheGatesWorkOverTheirShardsAndGrantTheSameCopies() {
        var sale = new Sale(100, 20_000, 1, 0, 1, Arrival.UNIFORM);
        var one = new SaleSimulation.Settings(sale, Costs.gate(), new SaleSimulation.Fleet(8, 2, 1), 0, 0, 1);
        var three = new SaleSimulation.Settings(sale, Costs.gate(), new SaleSimulation.Fleet(8, 2, 3), 0, 0, 1);

        var alone = SaleSimulation.run(one);
        var split = SaleSimulation.run(three);

        assertThat(split.grants()).isEqualTo(alone.grants()).isEqualTo(100);
        assertThat(split.gateCalls()).isEqualTo(alone.gateCalls());
        // each shard sees about a third of the requests: the busiest one a little more, by chance
        assertThat(split.gatePeak()).isBetween(alone.gatePeak() / 3 * 0.9, alone.gatePeak() / 3 * 1.2);
        assertThat(split.gatePeakPerSecond()).isCloseTo(alone.gatePeakPerSecond() / 3, within(1e-9));
    }

    @Test
    void theGateGrantsExactlyTheCopiesAndTheRefusalsNeverReachTheDatabase() {
        var sale = new Sale(100, 10_000, 1, 0, 1, Arrival.UNIFORM);

        var result = SaleSimulation.run(settings(sale, Costs.gate(), 4, 2));

        assertThat(result.grants()).isEqualTo(100);
        assertThat(result.databaseGrants()).isEqualTo(100);
        assertThat(result.refusals()).isEqualTo(9_900);
        assertThat(result.gateCalls()).isEqualTo(10_000); // this gate's refusals are answered by Redis
        assertThat(result.refusalsAtDatabase()).isZero();
        assertThat(result.refusalStatements()).isZero();
        assertThat(result.soldOutSeconds()).isLessThan(0.1);
    }

    @Test
    void withoutAGateEachInstanceLearnsTheSellOutOnceAndAnswersFromMemory() {
        var sale = new Sale(10, 10_000, 1, 0, 1, Arrival.UNIFORM);

        var result = SaleSimulation.run(settings(sale, Costs.instanceOnly(0.1, false), 4, 2));

        assertThat(result.grants()).isEqualTo(10);
        assertThat(result.gateCalls()).isZero();
        assertThat(result.refusalsAtDatabase()).isBetween(4L, 8L);
    }

    @Test
    void aFirstPressCostsItsInstanceTheFirstTouch() {
        // 1,000 first presses at t = 0 on one core: 0.2 ms + 0.1 ms first touch each, then 0.01 ms at the shard
        var sale = new Sale(0, 1_000, 1, 0, 0.5, Arrival.UNIFORM);
        var settings = new SaleSimulation.Settings(sale, Costs.gateWithFirstTouch(0.1),
                new SaleSimulation.Fleet(1, 1), 0, 0, 1);

        var result = SaleSimulation.run(settings, new double[1_000]);

        assertThat(result.latency()[3]).isCloseTo(300.01, within(1e-6));
        assertThat(result.refusalStatements()).isCloseTo(1_000 * 0.01, within(1e-9));
    }

    @Test
    void refusedPeopleRetryAtTheRetryRateAndTheSameSeedGivesTheSameRun() {
        var sale = new Sale(0, 20_000, 2, 0.5, 0.5, Arrival.UNIFORM);
        var settings = settings(sale, Costs.instanceOnly(0.01, false), 1, 2);

        var result = SaleSimulation.run(settings);

        assertThat((double) result.requests()).isCloseTo(40_000, within(800.0)); // 1 / (1 - R) presses each
        assertThat(result.retries()).isEqualTo(result.requests() - 20_000);
        assertThat(SaleSimulation.run(settings)).usingRecursiveComparison()
                .withEqualsForType((a, b) -> Double.compare(a, b) == 0, Double.class) // NaN (never sold out) too
                .isEqualTo(result);
    }
}
