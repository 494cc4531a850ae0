package io.couponrush.loadtest.faults;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The service's audit of one staggered-open coupon: its stock numbers (the integrity check) and its
 * own view of the arrival order ({@code arrivalOrder}, from the arrival stamps on grants and refusals).
 *
 * @param outOfOrderPercent       grants to requests that arrived after the first refused one, as a
 *                                share of the stamped grants
 * @param refusalsBeforeLastGrant sold-out answers to requests that arrived before the last grant
 */
record OpeningAudit(long total, long remaining, long issuedRows, long usersOverLimit, boolean consistent,
        long grantsStamped, long refusalsRecorded, long grantsAfterFirstRefusal, double outOfOrderPercent,
        long latestGrantLagMillis, long refusalsBeforeLastGrant) {

    static OpeningAudit of(JsonNode audit) {
        var order = audit.path("arrivalOrder");
        return new OpeningAudit(audit.path("total").asLong(-1), audit.path("remaining").asLong(-1),
                audit.path("issuedRows").asLong(-1), audit.path("usersOverLimit").asLong(0),
                audit.path("consistent").asBoolean(false), order.path("grantsStamped").asLong(),
                order.path("refusalsRecorded").asLong(), order.path("grantsAfterFirstRefusal").asLong(),
                order.path("outOfOrderPercent").asDouble(), order.path("latestGrantLagMillis").asLong(),
                order.path("refusalsBeforeLastGrant").asLong());
    }

    /**
     * Broken invariants, judged from the audit and every answer of the burst; empty when exact.
     *
     * @param earlierGrants copies granted before the burst (the warm case's one earlier issue)
     */
    List<String> violations(OpeningOrder order, int earlierGrants) {
        var found = new ArrayList<String>();
        if (!consistent) {
            found.add("audit not consistent");
        }
        if (remaining < 0 || remaining + issuedRows != total) {
            found.add("I1: %d remaining + %d rows ≠ %d".formatted(remaining, issuedRows, total));
        }
        if (usersOverLimit > 0) {
            found.add("I2: %d users over the limit".formatted(usersOverLimit));
        }
        long told = order.winners() + earlierGrants;
        // an unanswered request may or may not have its row; every other row was answered 201
        if (issuedRows < told || issuedRows > told + order.undefined()) {
            found.add("I3/I4: %d rows for %d answered 201".formatted(issuedRows, told));
        }
        if (order.undefined() > 0) {
            found.add("I5: %d undefined answers".formatted(order.undefined()));
        }
        if (order.soldOut() > 0 && remaining != 0) {
            found.add("I7: %d remaining after %d sold-out answers".formatted(remaining, order.soldOut()));
        }
        return found;
    }
}
