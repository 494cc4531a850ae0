package io.couponrush.loadtest.integrity;

import java.util.Set;

/**
 * What the database says about one coupon after a run, read with plain SQL.
 *
 * @param usersOverLimit users holding more rows than {@code perUserLimit} (always 0 when unlimited)
 * @param rowIds         the ids of all {@code user_coupons} rows of the coupon
 */
public record DatabaseFacts(
        long couponId,
        long total,
        long remaining,
        int perUserLimit,
        long rows,
        long distinctUsers,
        long usersOverLimit,
        long maxCopiesPerUser,
        Set<Long> rowIds) {
}
