package io.couponrush.loadtest.faults;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * ARCHITECTURE.md's invariants checked after one faulted run, from the rows in the database and
 * every answer the clients saw. Each broken rule is counted, so a cell of the table says how bad
 * it was, not only that it was. The per-user limit of the fault runs is 1.
 */
public record CellVerdict(List<Violation> violations) {

    /**
     * One broken rule: how many users (copies, answers) it hit, the words for the table, and a few
     * of the users concerned, to look up in the run's answers.
     */
    public record Violation(String rule, long count, String label, List<Long> users) {

        static final int EXAMPLES = 5;

        public Violation {
            users = users.stream().limit(EXAMPLES).toList();
        }

        Violation(String rule, long count, String label) {
            this(rule, count, label, List.of());
        }
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
        var overLimit = copies.entrySet().stream().filter(entry -> entry.getValue() > 1).map(Map.Entry::getKey)
                .sorted().toList();
        if (!overLimit.isEmpty()) {
            found.add(new Violation("I2", overLimit.size(), "%,d users hold 2+ copies".formatted(overLimit.size()),
                    overLimit));
        }

        // I3: each grant a user was told about (distinct ids, a replayed 201 repeats its id) must be
        // a row, and that user's row.
        long unbacked = 0;
        var unbackedUsers = new ArrayList<Long>();
        for (var run : runs) {
            var told = new HashSet<Long>();
            for (var attempt : run.attempts()) {
                if (attempt.granted()) {
                    told.add(attempt.userCouponId());
                }
            }
            long missing = told.stream()
                    .filter(id -> id == Attempt.NONE || !Long.valueOf(run.userId()).equals(db.rowOwners().get(id)))
                    .count();
            if (missing > 0) {
                unbacked += missing;
                unbackedUsers.add(run.userId());
            }
        }
        if (unbacked > 0) {
            found.add(new Violation("I3", unbacked, "%,d × 201 without its row".formatted(unbacked), unbackedUsers));
        }

        var refusedHolders = users(runs, run -> holds(copies, run) && run.onlyRefused());
        if (!refusedHolders.isEmpty()) {
            found.add(new Violation("I4", refusedHolders.size(),
                    "%,d rows behind a refusal".formatted(refusedHolders.size()), refusedHolders));
        }
        var falseAlreadyIssued = users(runs, run -> run.everAlreadyIssued() && !holds(copies, run));
        if (!falseAlreadyIssued.isEmpty()) {
            found.add(new Violation("I6", falseAlreadyIssued.size(),
                    "%,d false ALREADY_ISSUED".formatted(falseAlreadyIssued.size()), falseAlreadyIssued));
        }
        var holdersToldSoldOut = users(runs, run -> run.everSoldOut() && holds(copies, run));
        if (!holdersToldSoldOut.isEmpty()) {
            found.add(new Violation("I6", holdersToldSoldOut.size(),
                    "%,d holder told SOLD_OUT".formatted(holdersToldSoldOut.size()), holdersToldSoldOut));
        }
        boolean someoneEndedSoldOut = runs.stream().anyMatch(run -> run.last() != null && run.last().soldOut());
        if (someoneEndedSoldOut && db.remaining() > 0) {
            found.add(new Violation("I7", db.remaining(),
                    "%,d stranded (remaining after SOLD_OUT)".formatted(db.remaining())));
        }
        long internalErrors = runs.stream().flatMap(run -> run.attempts().stream())
                .filter(Attempt::internalError).count();
        if (internalErrors > 0) {
            found.add(new Violation("I8", internalErrors, "%,d × 500".formatted(internalErrors),
                    users(runs, run -> run.attempts().stream().anyMatch(Attempt::internalError))));
        }
        var undefined = users(runs, run -> !run.finalAnswerDefined());
        if (!undefined.isEmpty()) {
            found.add(new Violation("I5", undefined.size(),
                    "%,d undefined final answers".formatted(undefined.size()), undefined));
        }
        return new CellVerdict(found);
    }

    private static List<Long> users(List<UserRun> runs, Predicate<UserRun> concerned) {
        return runs.stream().filter(concerned).map(UserRun::userId).toList();
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
