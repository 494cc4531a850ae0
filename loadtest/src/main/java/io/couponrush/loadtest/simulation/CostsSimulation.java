package io.couponrush.loadtest.simulation;

/** The flash burst's shape, run per phase by the {@code costs} scenario (see {@link Scenario#COSTS}). */
public final class CostsSimulation extends BenchSimulation {

    public CostsSimulation() {
        super(Scenario.COSTS);
    }
}
