package io.couponrush.loadtest.simulation;

/** 1,000 VUs for 30 s, each: issue, pause 1 s; seed mode (one account for all). */
public final class NolockDemoSimulation extends BenchSimulation {

    public NolockDemoSimulation() {
        super(Scenario.NOLOCK_DEMO);
    }
}
