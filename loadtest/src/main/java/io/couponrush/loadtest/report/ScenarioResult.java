package io.couponrush.loadtest.report;

import io.couponrush.loadtest.Plan;
import java.nio.file.Path;
import java.util.List;

/**
 * A scenario run against every chosen strategy, with the trivial endpoint under the same shape.
 *
 * @param ping       null when the ping run failed ({@code pingError} says why)
 */
public record ScenarioResult(Plan plan, RunStats ping, Path pingReport, String pingError,
                             List<StrategyResult> strategies) {

    /** A strategy's throughput as a fraction of the trivial endpoint's under the same load. */
    public double ratioToPing(RunStats stats) {
        return ping == null || ping.throughput() == 0 ? Double.NaN : stats.throughput() / ping.throughput();
    }

    public boolean failsRun() {
        return ping == null || strategies.stream().anyMatch(StrategyResult::failsRun);
    }
}
