package io.couponrush.loadtest.report;

import io.couponrush.loadtest.Plan;
import io.couponrush.loadtest.costs.TierCost;
import java.nio.file.Path;
import java.util.List;

/**
 * A scenario run against every chosen strategy, with the trivial endpoint under the same shape.
 *
 * @param ping       null when the ping run failed ({@code pingError} says why)
 * @param wrk        the same rows measured with wrk in the same run (closed-model scenario only)
 * @param wrkNote    why there are no wrk rows, or how they were measured
 * @param costs      what each run (or phase) cost each tier, where the harness could read the counters
 */
public record ScenarioResult(Plan plan, RunStats ping, Path pingReport, String pingError,
                             List<StrategyResult> strategies, List<WrkRow> wrk, String wrkNote, List<TierCost> costs) {

    public ScenarioResult {
        costs = List.copyOf(costs);
    }

    public ScenarioResult(Plan plan, RunStats ping, Path pingReport, String pingError, List<StrategyResult> strategies,
                          List<WrkRow> wrk, String wrkNote) {
        this(plan, ping, pingReport, pingError, strategies, wrk, wrkNote, List.of());
    }

    public ScenarioResult(Plan plan, RunStats ping, Path pingReport, String pingError, List<StrategyResult> strategies) {
        this(plan, ping, pingReport, pingError, strategies, List.of(), null);
    }

    /** A strategy's throughput as a fraction of the trivial endpoint's under the same load. */
    public double ratioToPing(RunStats stats) {
        return ping == null || ping.throughput() == 0 ? Double.NaN : stats.throughput() / ping.throughput();
    }

    public boolean failsRun() {
        return ping == null || strategies.stream().anyMatch(StrategyResult::failsRun)
                || wrk.stream().anyMatch(row -> !row.holds() && !row.label().equals("none"));
    }
}
