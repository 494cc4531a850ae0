package io.couponrush.coupon;

import java.time.Instant;

/**
 * What issuing needs to know of a coupon and never changes after creation, so it can be cached
 * per coupon instead of read per request. Stock is not here: stock lives in the database.
 *
 * @param perUserLimit copies one user may hold; 0 = unlimited
 * @param room         its waiting room, or {@code null}: anyone may issue once the window opens
 * @param subGates     {@code redis-gate}: the gates, in different Redis hash slots, that share the stock (1: one)
 */
public record CouponTerms(long id, int totalQuantity, int perUserLimit, Instant startsAt, Instant endsAt,
        Strategy strategy, WaitingRoom room, int subGates) {

    /** Most sub-gates a coupon may have: the Redis gate's keys and its coalescing lines count on it. */
    public static final int MAX_SUB_GATES = 64;

    public CouponTerms {
        if (subGates < 1 || subGates > MAX_SUB_GATES) {
            throw new IllegalArgumentException("a coupon has 1 to " + MAX_SUB_GATES + " gates, not " + subGates);
        }
    }

    public CouponTerms(long id, int totalQuantity, int perUserLimit, Instant startsAt, Instant endsAt, Strategy strategy) {
        this(id, totalQuantity, perUserLimit, startsAt, endsAt, strategy, null, 1);
    }

    public CouponTerms(long id, int totalQuantity, int perUserLimit, Instant startsAt, Instant endsAt, Strategy strategy,
            WaitingRoom room) {
        this(id, totalQuantity, perUserLimit, startsAt, endsAt, strategy, room, 1);
    }

    public boolean unlimitedPerUser() {
        return perUserLimit == 0;
    }
}
