package io.couponrush.loadtest.faults;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * ARCHITECTURE.md's invariants checked after one faulted run, from the rows in the database and
 * every answer the clients saw. Each broken rule is counted, so a cell of the table says how bad
 * it was, not only that it was. The per-user limit of the fault runs is 1.
 */
public record CellVerdict(List<Violation> violations) {

    /** One broken rule: how many users (copies, answers) it hit, and the words for the table. */
    public record Violation(String rule, long count, String label) {
    }

    public CellVerdict {
        violations = List.copyOf(violations);
    }

    public static CellVerdict evaluate(Holdings db, List<UserRun> runs) {
        var found = new ArrayList<Violation>();
        var copies = db.copiesByUser();

        long balance = db.remaining() + db.rows() - db.total();
        if (balance != 0) {
            found.add(new Violation("I1", Math.abs(balance), "I1: %,d remaining + %,d rows ≠ %,d".formatted(
                    db.remaining(), db.rows(), db.total())));
        }
        if (db.remaining() < 0) {
            found.add(new Violation("I1", -db.remaining(), "I1: remaining %,d".formatted(db.remaining())));
        }
        long overLimit = copies.values().stream().filter(count -> count > 1).count();
        if (overLimit > 0) {
            found.add(new Violation("I2", overLimit, "%,d users hold 2+ copies".formatted(overLimit)));
        }

        // I3: each grant a user was told about (distinct ids, a replayed 201 repeats its id) must be
        // a row, and that user's row.
        long unbacked = 0;
        for (var run : runs) {
            var told = new HashSet<Long>();
            for (var attempt : run.attempts()) {
                if (attempt.granted()) {
                    told.add(attempt.userCouponId());
                }
            }
            unbacked += told.stream()
                    .filter(id -> id == Attempt.NONE || !Long.valueOf(run.userId()).equals(db.rowOwners().get(id)))
                    .count();
        }
        if (unbacked > 0) {
            found.add(new Violation("I3", unbacked, "%,d × 201 without its row".formatted(unbacked)));
        }

        long refusedHolders = runs.stream().filter(run -> holds(copies, run) && run.onlyRefused()).count();
        if (refusedHolders > 0) {
            found.add(new Violation("I4", refusedHolders, "%,d rows behind a refusal".formatted(refusedHolders)));
        }
        long falseAlreadyIssued = runs.stream().filter(run -> run.everAlreadyIssued() && !holds(copies, run)).count();
        if (falseAlreadyIssued > 0) {
            found.add(new Violation("I6", falseAlreadyIssued,
                    "%,d false ALREADY_ISSUED".formatted(falseAlreadyIssued)));
        }
        long holdersToldSoldOut = runs.stream().filter(run -> run.everSoldOut() && holds(copies, run)).count();
        if (holdersToldSoldOut > 0) {
            found.add(new Violation("I6", holdersToldSoldOut,
                    "%,d holder told SOLD_OUT".formatted(holdersToldSoldOut)));
        }
        boolean someoneEndedSoldOut = runs.stream().anyMatch(run -> run.last() != null && run.last().soldOut());
        if (someoneEndedSoldOut && db.remaining() > 0) {
            found.add(new Violation("I7", db.remaining(),
                    "%,d stranded (remaining after SOLD_OUT)".formatted(db.remaining())));
        }
        long internalErrors = runs.stream().flatMap(run -> run.attempts().stream())
                .filter(Attempt::internalError).count();
        if (internalErrors > 0) {
            found.add(new Violation("I8", internalErrors, "%,d × 500".formatted(internalErrors)));
        }
        long undefined = runs.stream().filter(run -> !run.finalAnswerDefined()).count();
        if (undefined > 0) {
            found.add(new Violation("I5", undefined, "%,d undefined final answers".formatted(undefined)));
        }
        return new CellVerdict(found);
    }

    private static boolean holds(Map<Long, Long> copies, UserRun run) {
        return copies.getOrDefault(run.userId(), 0L) > 0;
    }

    public boolean exact() {
        return violations.isEmpty();
    }

    /** One cell of the table: {@code exact}, or every broken rule with its count. */
    public String label() {
        return exact() ? "exact" : violations.stream().map(Violation::label).collect(Collectors.joining("; "));
    }
}
