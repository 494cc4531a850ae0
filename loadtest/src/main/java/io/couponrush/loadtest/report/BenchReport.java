package io.couponrush.loadtest.report;

import java.time.Instant;
import java.util.List;

/**
 * Everything the summary shows.
 *
 * @param service  how the service ran (embedded servers or the environment's)
 * @param problems failures outside any one strategy (service did not start, setup failed)
 */
public record BenchReport(Instant startedAt, Instant finishedAt, Machine machine, String command, String service,
                          List<ScenarioResult> scenarios, List<String> problems) {

    public boolean failed() {
        return !problems.isEmpty() || scenarios.isEmpty() || scenarios.stream().anyMatch(ScenarioResult::failsRun);
    }
}
