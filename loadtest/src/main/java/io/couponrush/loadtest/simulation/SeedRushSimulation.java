package io.couponrush.loadtest.simulation;

/** Ramp 0→2,000 VUs in 10 s, hold 80 s, each: issue, pause 1 s (the Lettuce-lock report's run). */
public final class SeedRushSimulation extends BenchSimulation {

    public SeedRushSimulation() {
        super(Scenario.SEED_RUSH);
    }
}
