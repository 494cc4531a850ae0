package io.couponrush.loadtest.faults;

import java.util.List;

/**
 * One measured burst of the staggered opening.
 *
 * @param seenAccounts   the control: the burst's accounts had been verified and read by every instance
 *                       before (otherwise they were created for this burst and no instance had seen them)
 * @param jitter         the client's own: when each request's last byte was written against its instant
 * @param lastAnswerMillis from the opening (rank 1's instant) to the last answer
 * @param byInstance     with several instances: late winners / early sold-outs per instance
 * @param violations     broken invariants; empty when exact
 */
record OpeningRun(String strategy, int instances, boolean cold, boolean seenAccounts, OpeningOrder order,
        OpeningOrder.Jitter jitter, double lastAnswerMillis, OpeningAudit audit, String byInstance,
        List<String> violations) {

    OpeningRun {
        violations = List.copyOf(violations);
    }

    String kind() {
        return (cold ? "cold" : "warm") + (seenAccounts ? ", seen accounts" : "");
    }

    /** A table cell, e.g. {@code 2.0 % (latest #103; audit 2.0 %)}. */
    String cell() {
        return "%.1f %% (latest #%d; audit %.1f %%)".formatted(order.outOfOrderPercent(), order.latestWinnerRank(),
                audit.outOfOrderPercent()) + (violations.isEmpty() ? "" : " **INTEGRITY**");
    }
}
