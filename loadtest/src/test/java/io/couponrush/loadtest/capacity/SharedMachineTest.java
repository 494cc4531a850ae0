package io.couponrush.loadtest.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SharedMachineTest {

    @Test
    void belowCapacityEveryAnswerTakesItsOwnPath() {
        // 100 arrivals 10 ms apart, 1 ms of machine work each (0.3 of it the generator's) on 2 cores
        var costs = Costs.instanceOnly(0.7, false);
        var generator = new PathCost(0.7, 0, 0, 0, 0.3, 0, 0, 0, 0, "");
        costs = new StrategyCosts("batched", generator, generator, PathCost.ZERO, PathCost.ZERO, "Test CPU", 2,
                costs.measured(), false, false, false);

        var prediction = SharedMachine.predict(100, 1, 10, costs, 2, 0);

        assertThat(prediction.p50()).isCloseTo(0.7, within(1e-9));
        assertThat(prediction.max()).isCloseTo(0.7, within(1e-9));
        assertThat(prediction.throughput()).isCloseTo(100 / 0.9907, within(1e-6));
    }

    @Test
    void overloadedTheMachineAnswersAtItsCapacityAndTheQueueGrowsWithTheArrival() {
        // 10,000 arrivals in 1 s, 1 ms each on 1 core: 1,000/s; the i-th leaves at (i + 1) ms
        var prediction = SharedMachine.predict(10_000, 1, 0, Costs.instanceOnly(1, false), 1, 0);

        assertThat(prediction.throughput()).isCloseTo(1_000, within(1e-6));
        assertThat(prediction.p50()).isCloseTo(0.9 * 4_999 + 1, within(1e-6));
        assertThat(prediction.utilisation()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void pinnedTheSlowerGroupOfCoresSetsThePace() {
        // 0.7 ms in the instance on its 1 core, 0.3 ms of generator on the other: 1,429/s, set by the instance
        var path = new PathCost(0.7, 0, 0, 0, 0.3, 0, 0, 0, 0, "");
        var costs = new StrategyCosts("batched", path, path, PathCost.ZERO, PathCost.ZERO, "Test CPU", 2,
                Costs.gate().measured(), false, false, false);

        var prediction = SharedMachine.predict(10_000, 1, 0, costs, 1, 1, 0);

        assertThat(prediction.throughput()).isCloseTo(1_000 / 0.7, within(0.01));
        // all on both cores the same work goes faster: 2,000/s
        assertThat(SharedMachine.predict(10_000, 1, 0, costs, 2, 0).throughput()).isCloseTo(2_000, within(0.01));
    }

    @Test
    void aProxyInFrontCostsTheSameCoresItsShare() {
        var without = SharedMachine.predict(10_000, 1, 0, Costs.instanceOnly(1, false), 1, 0);
        var with = SharedMachine.predict(10_000, 1, 0, Costs.instanceOnly(1, false), 1, 0.25);

        assertThat(with.throughput()).isCloseTo(without.throughput() / 1.25, within(1e-6));
    }
}
