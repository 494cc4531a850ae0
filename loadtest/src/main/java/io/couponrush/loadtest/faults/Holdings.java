package io.couponrush.loadtest.faults;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * The database's word on one coupon after the run settled, read in one snapshot.
 *
 * @param rowOwners every {@code user_coupons} row of the coupon: row id to user id
 */
public record Holdings(long couponId, long total, long remaining, Map<Long, Long> rowOwners) {

    public Holdings {
        rowOwners = Map.copyOf(rowOwners);
    }

    public long rows() {
        return rowOwners.size();
    }

    /** Rows per user, only users holding at least one. */
    public Map<Long, Long> copiesByUser() {
        return rowOwners.values().stream().collect(Collectors.groupingBy(user -> user, Collectors.counting()));
    }
}
