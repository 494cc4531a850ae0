package io.couponrush.loadtest.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StaggeredOpenReportTest {

    private static final StaggeredOpenSettings SETTINGS = StaggeredOpenSettings.from(StaggeredOpenSettingsTest.properties(
            "bench.strategies", "batched,redis-gate", "bench.users", "300", "bench.stock", "100"));

    /**
     * A run whose winners are ranks 1..100 except {@code late} of them swapped for ranks 101..; a run
     * with violations also had its last user told CONTENTION.
     */
    private static OpeningRun run(String strategy, int instances, boolean cold, int late, double auditPercent,
            List<String> violations) {
        return run(strategy, instances, cold, false, late, auditPercent, violations);
    }

    private static OpeningRun run(String strategy, int instances, boolean cold, boolean seen, int late,
            double auditPercent, List<String> violations) {
        var answers = new ArrayList<OpeningOrder.Answer>();
        for (int rank = 1; rank <= 300; rank++) {
            boolean wins = rank <= 100 - late || (rank > 100 && rank <= 100 + late);
            answers.add(new OpeningOrder.Answer(rank, wins ? "ISSUED"
                    : rank == 300 && !violations.isEmpty() ? "CONTENTION" : "COUPON_SOLD_OUT"));
        }
        var audit = new OpeningAudit(100, 0, 100, 0, true, 100, 200, late, auditPercent, 3, late);
        return new OpeningRun(strategy, instances, cold, seen, OpeningOrder.of(100, answers),
                new OpeningOrder.Jitter(0.01, 0.2, 1.5), 640, audit, OpeningOrder.byInstance(100, answers, instances),
                violations);
    }

    @Test
    void aCellShowsTheClientsShareTheLatestWinnerAndTheAudit() {
        assertThat(run("batched", 1, true, 2, 2.0, List.of()).cell()).isEqualTo("2.0 % (latest #102; audit 2.0 %)");
        assertThat(run("batched", 1, true, 0, 0, List.of("I1: x")).cell()).isEqualTo("0.0 % (latest #100; audit 0.0 %) **INTEGRITY**");
    }

    @Test
    void rowsAreStrategiesAndColumnsColdAndWarmPerInstanceCount() {
        var runs = List.of(run("batched", 1, true, 2, 2.0, List.of()), run("batched", 1, false, 0, 0, List.of()),
                run("redis-gate", 1, true, 1, 1.0, List.of()), run("batched", 2, true, 3, 3.0, List.of()));

        var report = StaggeredOpenReport.render(SETTINGS, "2 cores", runs, List.of());

        assertThat(report).contains("| strategy | cold, 1 instance | warm, 1 instance | cold, 2 instances | warm, 2 instances |")
                .contains("| batched | 2.0 % (latest #102; audit 2.0 %) | 0.0 % (latest #100; audit 0.0 %) "
                        + "| 3.0 % (latest #103; audit 3.0 %) | – |")
                .contains("| redis-gate | 1.0 % (latest #101; audit 1.0 %) | – | – | – |")
                .contains("| batched | 1 | cold | 2.0 % (2) | #102 | 2 | 2.0 % | 2 | 2 | 3 ms | 0.01 / 0.20 / 1.50 ms | 640 ms | – | – | exact |")
                .contains("| batched | 2 | cold | 3.0 % (3) | #103 | 3 | 3.0 % | 3 | 3 | 3 ms | 0.01 / 0.20 / 1.50 ms | 640 ms "
                        + "| #0: 2 / 1, #1: 1 / 2 | – | exact |")
                .contains("launched 2 ms apart")
                .contains("**met** in this run (batched × 1: 2.0 %, redis-gate × 1: 1.0 %, batched × 2: 3.0 %)")
                .contains("accounts no instance has seen")
                .doesNotContain("seen accounts*")
                .contains("Integrity: every run exact");
    }

    @Test
    void theSeenAccountsControlIsALabelledRowOfItsOwnAndOutsideTheGoal() {
        var runs = List.of(run("batched", 1, true, 1, 1.0, List.of()), run("batched", 1, false, 0, 0, List.of()),
                run("batched", 1, true, true, 9, 9.0, List.of()), run("batched", 1, false, true, 2, 2.0, List.of()));

        var report = StaggeredOpenReport.render(SETTINGS, "2 cores", runs, List.of());

        assertThat(report).contains("| batched | 1.0 % (latest #101; audit 1.0 %) | 0.0 % (latest #100; audit 0.0 %) | – | – |")
                .contains("| batched, *seen accounts* | 9.0 % (latest #109; audit 9.0 %) | 2.0 % (latest #102; audit 2.0 %) | – | – |")
                .contains("| batched | 1 | warm, seen accounts | 2.0 % (2) |")
                .doesNotContain("| redis-gate, *seen accounts*")
                .contains("Rows marked *seen accounts* are the control")
                .contains("| batched | 1 | cold, seen accounts | 9.0 % (9) |")
                .contains("**met** in this run (batched × 1: 1.0 %)");
    }

    @Test
    void saysWhenTheGoalIsMissedAndWhenIntegrityFailed() {
        var runs = List.of(run("batched", 1, true, 0, 0, List.of()), run("redis-gate", 2, true, 4, 4.0, List.of("I7: 1 remaining")));

        var report = StaggeredOpenReport.render(SETTINGS, "2 cores", runs, List.of("IOException: boom"));

        assertThat(report).contains("**NOT met** in this run (batched × 1: 0.0 %, redis-gate × 2: 4.0 % ✗)")
                .contains("| CONTENTION 1 | I7: 1 remaining |")
                .contains("Integrity: **FAILED**.")
                .contains("Problems: IOException: boom");
    }

    @Test
    void aFractionalSpacingIsPrintedAsGiven() {
        var settings = StaggeredOpenSettings.from(StaggeredOpenSettingsTest.properties("bench.spacingMillis", "0.5"));

        assertThat(StaggeredOpenReport.render(settings, "m", List.of(), List.of())).contains("launched 0.5 ms apart");
    }
}
