package io.couponrush.loadtest.simulation;

/** 100 VUs for 10.8 s, each: issue as a random user, pause 1 s (the optimistic-lock report's k6 run). */
public final class Optimistic100Simulation extends BenchSimulation {

    public Optimistic100Simulation() {
        super(Scenario.OPTIMISTIC_100);
    }
}
