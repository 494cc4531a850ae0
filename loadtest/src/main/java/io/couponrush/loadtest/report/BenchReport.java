package io.couponrush.loadtest.report;

import io.couponrush.loadtest.costs.TierCost;
import java.time.Instant;
import java.util.List;

/**
 * Everything the summary shows.
 *
 * @param service  how the service ran (embedded servers or the environment's)
 * @param problems failures outside any one strategy (service did not start, setup failed)
 * @param load     the machine's load average (1, 5, 15 min) at the start and at the end
 * @param meter    how the per-tier costs were read (null: none were)
 * @param background the servers' own work with no load, subtracted from every cost (null: not measured)
 */
public record BenchReport(Instant startedAt, Instant finishedAt, Machine machine, String command, String service,
                          List<ScenarioResult> scenarios, List<String> problems, String load, String meter,
                          TierCost background) {

    public BenchReport(Instant startedAt, Instant finishedAt, Machine machine, String command, String service,
                       List<ScenarioResult> scenarios, List<String> problems) {
        this(startedAt, finishedAt, machine, command, service, scenarios, problems, null, null, null);
    }

    public boolean failed() {
        return !problems.isEmpty() || scenarios.isEmpty() || scenarios.stream().anyMatch(ScenarioResult::failsRun);
    }
}
