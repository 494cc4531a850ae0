package io.couponrush.loadtest.report;

import io.couponrush.loadtest.integrity.DatabaseFacts;
import io.couponrush.loadtest.wrk.WrkResult;

/**
 * One row measured with wrk: the trivial endpoint ({@code database} null) or a strategy on a fresh
 * coupon, checked against its rows afterwards.
 *
 * @param result   null when the run failed ({@code integrity} says why)
 * @param database the coupon's rows after the run; null for the trivial endpoint
 */
public record WrkRow(String label, WrkResult result, DatabaseFacts database, boolean holds, String integrity) {

    /**
     * The invariants wrk's answers allow checking: wrk counts statuses, not the ids in the bodies, so a
     * 201 is matched with a row by count. Stock and rows balance (I1), no user over the limit (I2), no
     * 201 without a row (I3), no row without a 201 except behind an answer that got lost (I4), and no
     * 5xx other than a defined OVERLOADED (I5 is checked by code in the Gatling row of the same strategy).
     * wrk stops at its duration with a request in flight on each connection, whose answers it never
     * reads: those count as lost too.
     */
    public static WrkRow checked(String strategy, WrkResult result, DatabaseFacts db, int connections) {
        long granted = result.count(201);
        long lost = connections + result.timeouts() + result.socketErrors() + result.count(503);
        boolean balanced = db.remaining() + db.rows() == db.total();
        boolean withinLimit = db.usersOverLimit() == 0;
        boolean everyGrantHasItsRow = granted <= db.rows();
        boolean noSilentRow = db.rows() <= granted + lost;
        long internal = result.codes().entrySet().stream().filter(e -> e.getKey() >= 500 && e.getKey() != 503)
                .mapToLong(java.util.Map.Entry::getValue).sum();
        boolean holds = balanced && withinLimit && everyGrantHasItsRow && noSilentRow && internal == 0;
        var detail = "%,d 201s, %,d rows, %,d remaining of %,d; %,d users over the limit; %,d answers unread at the end, lost or 503; %,d other 5xx"
                .formatted(granted, db.rows(), db.remaining(), db.total(), db.usersOverLimit(), lost, internal);
        return new WrkRow(strategy, result, db, holds, (holds ? "PASS: " : "FAIL: ") + detail);
    }

    public static WrkRow ping(WrkResult result) {
        return new WrkRow("ping", result, null, true, "–");
    }

    public static WrkRow failed(String label, String why) {
        return new WrkRow(label, null, null, false, "not measured: " + why);
    }
}
