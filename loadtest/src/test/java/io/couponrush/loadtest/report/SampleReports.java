package io.couponrush.loadtest.report;

import io.couponrush.loadtest.Overrides;
import io.couponrush.loadtest.Plan;
import io.couponrush.loadtest.integrity.AuditReport;
import io.couponrush.loadtest.integrity.DatabaseFacts;
import io.couponrush.loadtest.integrity.IntegrityVerdict;
import io.couponrush.loadtest.simulation.Answer;
import io.couponrush.loadtest.simulation.Scenario;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/** A small, fully known bench result to render. */
final class SampleReports {

    static final Path DIRECTORY = Path.of("/results/20261122-030000");

    private SampleReports() {
    }

    static BenchReport report() {
        var plan = Plan.of(Scenario.FLASH_BURST, true, Overrides.NONE);
        var ping = RunStats.of(answers(1_000, 0, "200", 2), Optional.empty());

        // atomic: 100 granted out of 500, sold out cleanly.
        var atomicAnswers = new ArrayList<Answer>();
        for (int i = 1; i <= 100; i++) {
            atomicAnswers.add(new Answer(i, i + 4, 4, "201", i));
        }
        atomicAnswers.addAll(answers(400, 200, "COUPON_SOLD_OUT", 3));
        var atomicDb = db(100, 0, 1, 100, 1);
        var atomic = new StrategyResult("atomic", 11, RunStats.of(atomicAnswers, Optional.of(100)), atomicDb,
                audit(atomicDb, true), IntegrityVerdict.evaluate(false, atomicDb, audit(atomicDb, true), atomicAnswers),
                DIRECTORY.resolve("gatling/flash-burst-atomic/flashburstsimulation-1/index.html"), null);

        // none: 120 rows while the counter only fell by 100.
        var noneAnswers = new ArrayList<Answer>();
        for (int i = 1; i <= 120; i++) {
            noneAnswers.add(new Answer(i, i + 9, 9, "201", i));
        }
        noneAnswers.addAll(answers(30, 200, "INTERNAL_ERROR", 9));
        var noneDb = db(100, 0, 1, 120, 1);
        var none = new StrategyResult("none", 10, RunStats.of(noneAnswers, Optional.of(100)), noneDb,
                audit(noneDb, false), IntegrityVerdict.evaluate(true, noneDb, audit(noneDb, false), noneAnswers),
                null, null);

        var batched = StrategyResult.failed("batched", 0,
                "IOException: POST /api/v1/coupons answered 400 (expected 201)");

        var scenario = new ScenarioResult(plan, ping,
                DIRECTORY.resolve("gatling/flash-burst-ping/flashburstsimulation-0/index.html"), null,
                List.of(none, atomic, batched));
        return new BenchReport(Instant.parse("2026-11-22T03:00:00Z"), Instant.parse("2026-11-22T03:02:05Z"),
                new Machine(2, 24L * 1024 * 1024 * 1024, "Test CPU", "Linux 6.1 amd64", "Temurin 25"),
                "./mvnw -B -pl loadtest -am verify -Pbench -DskipTests -Dbench.smoke=true", "embedded",
                List.of(scenario), List.of());
    }

    private static List<Answer> answers(int count, long startOffset, String code, int latency) {
        var answers = new ArrayList<Answer>();
        for (int i = 0; i < count; i++) {
            answers.add(new Answer(startOffset + i, startOffset + i + latency, latency, code, Answer.NONE));
        }
        return answers;
    }

    private static DatabaseFacts db(long total, long remaining, int limit, int rows, long maxCopies) {
        var ids = new HashSet<Long>();
        for (long id = 1; id <= rows; id++) {
            ids.add(id);
        }
        return new DatabaseFacts(1, total, remaining, limit, rows, rows, 0, maxCopies, ids);
    }

    private static AuditReport audit(DatabaseFacts db, boolean consistent) {
        return new AuditReport(db.couponId(), db.total(), db.remaining(), db.rows(), db.distinctUsers(),
                db.usersOverLimit(), consistent);
    }
}
