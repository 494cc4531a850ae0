package io.couponrush.issuance;

import java.time.Instant;

/** A granted copy, as the 201 answer shows it. */
public record IssuedCoupon(long userCouponId, long couponId, long userId, Instant issuedAt) {
}
