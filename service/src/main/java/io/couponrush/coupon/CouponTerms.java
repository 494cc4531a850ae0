package io.couponrush.coupon;

import java.time.Instant;

/**
 * What issuing needs to know of a coupon and never changes after creation, so it can be cached
 * per coupon instead of read per request. Stock is not here: stock lives in the database.
 *
 * @param perUserLimit copies one user may hold; 0 = unlimited
 */
public record CouponTerms(long id, int totalQuantity, int perUserLimit, Instant startsAt, Instant endsAt,
        Strategy strategy) {

    public boolean unlimitedPerUser() {
        return perUserLimit == 0;
    }
}
