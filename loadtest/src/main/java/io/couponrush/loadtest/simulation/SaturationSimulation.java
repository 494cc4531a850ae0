package io.couponrush.loadtest.simulation;

/** A closed model: C users issue back to back with no pause for 30 s; stock and per-user limit high. */
public final class SaturationSimulation extends BenchSimulation {

    public SaturationSimulation() {
        super(Scenario.SATURATION);
    }
}
