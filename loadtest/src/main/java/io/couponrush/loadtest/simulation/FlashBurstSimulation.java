package io.couponrush.loadtest.simulation;

/** 20,000 distinct users, one request each, all arriving within 2 s, on a stock of 1,000. */
public final class FlashBurstSimulation extends BenchSimulation {

    public FlashBurstSimulation() {
        super(Scenario.FLASH_BURST);
    }
}
