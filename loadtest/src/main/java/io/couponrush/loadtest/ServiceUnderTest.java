package io.couponrush.loadtest;

import io.couponrush.loadtest.costs.Tier;
import io.couponrush.loadtest.costs.Tiers;
import java.net.URI;
import java.util.List;
import java.util.Map;

/** What the bench drives: one service process, or several behind HAProxy. */
interface ServiceUnderTest {

    /** Where the load, the fixtures and the audit go. */
    URI baseUri();

    /** Every process it needs is still running. */
    boolean alive();

    /** Which process died, with the end of its log. */
    String whyNotAlive();

    /** The processes and servers whose counters say what a request cost; by default only the generator's. */
    default Tiers tiers() {
        return new Tiers(Map.of(Tier.GENERATOR, List.of(ProcessHandle.current().pid())), 1, 0, null);
    }
}
