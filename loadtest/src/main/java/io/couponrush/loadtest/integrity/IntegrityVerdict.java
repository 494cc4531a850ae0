package io.couponrush.loadtest.integrity;

import io.couponrush.loadtest.simulation.Answer;
import io.couponrush.loadtest.simulation.Outcomes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The invariants of ARCHITECTURE.md checked after one run, from three independent sources: the
 * rows in the database, the service's audit endpoint, and the answers the generator saw.
 *
 * @param unsafeByDesign the strategy is the {@code none} demonstration: violations are reported, not failed on
 * @param numbers        the counts behind the checks, shown in the summary either way
 */
public record IntegrityVerdict(boolean unsafeByDesign, List<Check> checks, Numbers numbers) {

    /** One invariant, whether it held, and the numbers that show it. */
    public record Check(String id, String rule, boolean holds, String detail) {
    }

    /**
     * @param lostDecrements    rows the stock counter never paid for: rows - (total - remaining), when positive
     *                          (the seed report's "7,836 rows but quantity 25,931")
     * @param phantomDecrements stock taken without a row: (total - remaining) - rows, when positive
     * @param granted           201 answers seen by the generator
     * @param missingRows       201 answers whose {@code userCouponId} has no row
     * @param duplicateGrants   201 answers repeating an id another 201 already carried
     * @param unacknowledgedRows rows no 201 reported
     * @param ambiguousAnswers  answers that leave it open whether anything was written (no answer, 5xx)
     * @param internalErrors    500 answers ({@code INTERNAL_ERROR}, e.g. deadlocks)
     * @param undefinedAnswers  answers without a defined outcome code (no answer, never sent, or an error without a code)
     */
    public record Numbers(
            long lostDecrements,
            long phantomDecrements,
            long granted,
            long missingRows,
            long duplicateGrants,
            long unacknowledgedRows,
            long ambiguousAnswers,
            long internalErrors,
            long undefinedAnswers,
            long usersOverLimit) {
    }

    public static IntegrityVerdict evaluate(boolean unsafeByDesign, DatabaseFacts db, AuditReport audit,
                                            List<Answer> answers) {
        var grantedIds = answers.stream().filter(Answer::granted).map(Answer::userCouponId).toList();
        var distinctGranted = new HashSet<>(grantedIds);
        long missing = distinctGranted.stream().filter(id -> !db.rowIds().contains(id)).count();
        long duplicates = grantedIds.size() - distinctGranted.size();
        long unacknowledged = db.rowIds().stream().filter(id -> !distinctGranted.contains(id)).count();
        long ambiguous = answers.stream().filter(answer -> Outcomes.ambiguous(answer.code())).count();
        long internalErrors = answers.stream().filter(answer -> answer.code().equals("INTERNAL_ERROR")).count();
        long undefined = answers.stream().filter(answer -> undefined(answer.code())).count();
        long taken = db.total() - db.remaining();
        var numbers = new Numbers(
                Math.max(0, db.rows() - taken),
                Math.max(0, taken - db.rows()),
                grantedIds.size(), missing, duplicates, unacknowledged, ambiguous, internalErrors, undefined,
                db.usersOverLimit());

        var checks = new ArrayList<Check>();
        boolean balanced = db.remaining() + db.rows() == db.total();
        checks.add(new Check("I1", "remaining + issued rows == total", balanced,
                "%,d remaining + %,d rows = %,d of %,d".formatted(
                        db.remaining(), db.rows(), db.remaining() + db.rows(), db.total())));
        checks.add(new Check("I1", "remaining >= 0", db.remaining() >= 0, "remaining %,d".formatted(db.remaining())));
        boolean withinLimit = db.usersOverLimit() == 0;
        checks.add(new Check("I2", "no user over the per-user limit", withinLimit,
                db.perUserLimit() == 0
                        ? "unlimited; most copies held by one user: %,d".formatted(db.maxCopiesPerUser())
                        : "limit %d, %,d users over it, most copies held by one user: %,d".formatted(
                                db.perUserLimit(), db.usersOverLimit(), db.maxCopiesPerUser())));
        checks.add(new Check("I3", "every 201 has its row", missing == 0 && duplicates == 0,
                "%,d of %,d acknowledged coupons found, %,d missing, %,d ids acknowledged twice".formatted(
                        distinctGranted.size() - missing, distinctGranted.size(), missing, duplicates)));
        // A row nobody was told about is only excusable where an answer got lost (timeout, 5xx).
        checks.add(new Check("I4", "no row behind a definite refusal", unacknowledged <= ambiguous,
                "%,d rows without a 201, %,d ambiguous answers".formatted(unacknowledged, ambiguous)));
        checks.add(new Check("I5", "every answer has a defined outcome", undefined == 0 && internalErrors == 0,
                "%,d without an answer or code, %,d INTERNAL_ERROR".formatted(undefined, internalErrors)));
        if (audit == null) {
            checks.add(new Check("audit", "audit endpoint answers", false, "no audit answer"));
        } else {
            boolean agrees = audit.total() == db.total()
                    && audit.remaining() == db.remaining()
                    && audit.issuedRows() == db.rows()
                    && audit.usersOverLimit() == db.usersOverLimit()
                    && audit.consistent() == (balanced && db.remaining() >= 0 && withinLimit);
            checks.add(new Check("audit", "audit endpoint agrees with SQL", agrees,
                    "audit: consistent=%s, remaining %,d, rows %,d, over limit %,d".formatted(
                            audit.consistent(), audit.remaining(), audit.issuedRows(), audit.usersOverLimit())));
        }
        return new IntegrityVerdict(unsafeByDesign, List.copyOf(checks), numbers);
    }

    private static boolean undefined(String code) {
        return code.equals(Outcomes.NO_RESPONSE) || code.equals(Outcomes.NOT_SENT) || code.startsWith("HTTP_");
    }

    public boolean holds() {
        return checks.stream().allMatch(Check::holds);
    }

    /** A correct strategy that broke an invariant: the bench command must fail. */
    public boolean failsRun() {
        return !unsafeByDesign && !holds();
    }

    public List<Check> broken() {
        return checks.stream().filter(check -> !check.holds()).toList();
    }

    /** One cell of the summary table. */
    public String label() {
        if (holds()) {
            return unsafeByDesign ? "held this time (unsafe by design)" : "PASS";
        }
        var which = broken().stream().map(Check::id).distinct().collect(Collectors.joining(", "));
        return unsafeByDesign ? "broken as expected: " + which : "FAIL: " + which;
    }
}
