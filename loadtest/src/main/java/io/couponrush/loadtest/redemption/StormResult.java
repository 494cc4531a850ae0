package io.couponrush.loadtest.redemption;

import io.couponrush.loadtest.report.Spread;
import java.util.ArrayList;
import java.util.List;

/**
 * One strategy's storm: every call and what the service's books and rows say after it.
 *
 * @param strategy      {@code naive} or {@code conditional}
 * @param copies        copies spent at
 * @param books         the audit's books after the storm, {@code null} without an answer
 * @param disagreements copies whose row disagrees with what the order systems were told ({@link Ledger#disagreements})
 */
record StormResult(String strategy, long couponId, int copies, Ledger ledger, Books books, long disagreements) {

    static final String NAIVE = "naive";

    /** Only the conditional strategy is held to its promise; the naive one shows what it breaks. */
    boolean unsafeByDesign() {
        return NAIVE.equals(strategy);
    }

    List<Call> calls() {
        return ledger.calls();
    }

    int requests() {
        return calls().size();
    }

    /** Distinct orders that tried a copy. */
    long orders() {
        return calls().stream().map(call -> call.copy() + "/" + call.orderId()).distinct().count();
    }

    /** From the first request sent to the last answer. */
    long windowMillis() {
        var calls = calls();
        if (calls.isEmpty()) {
            return 0;
        }
        long first = calls.stream().mapToLong(Call::sentMillis).min().orElseThrow();
        long last = calls.stream().mapToLong(Call::answeredMillis).max().orElseThrow();
        return Math.max(1, last - first);
    }

    double throughput() {
        return requests() == 0 ? 0 : requests() * 1000.0 / windowMillis();
    }

    Spread latency(Call.Op op) {
        return Spread.of(calls().stream().filter(call -> call.op() == op).mapToLong(Call::latencyMillis).toArray());
    }

    long serverErrors() {
        return calls().stream().filter(call -> call.status() >= 500).count();
    }

    /** What is wrong: for the conditional strategy these fail the run; for the naive one they are its demonstration. */
    List<String> violations() {
        var out = new ArrayList<String>();
        long twice = ledger.spentTwice();
        if (twice > 0) {
            out.add("%,d copies spent by two orders (ledger)".formatted(twice));
        }
        if (books == null) {
            out.add("no audit books");
        } else {
            if (books.usedTwice() > 0) {
                out.add("%,d copies used twice (audit)".formatted(books.usedTwice()));
            }
            if (!books.balanced()) {
                out.add(books.states() == copies ? "books do not balance (the states add up; the copies used twice do not)"
                        : "books do not balance (%,d states for %,d copies)".formatted(books.states(), copies));
            }
        }
        return out;
    }

    /** Worth reporting, never failed on: rows that disagree with the answers, 5xx. */
    List<String> remarks() {
        var out = new ArrayList<String>();
        if (disagreements > 0) {
            out.add("%,d copies whose row disagrees with the answers".formatted(disagreements));
        }
        long errors = serverErrors();
        if (errors > 0) {
            out.add("%,d × 5xx".formatted(errors));
        }
        return out;
    }

    boolean failsRun() {
        return !unsafeByDesign() && !violations().isEmpty();
    }
}
