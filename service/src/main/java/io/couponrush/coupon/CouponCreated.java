package io.couponrush.coupon;

/** A coupon was created on this instance: whatever issues it can get ready now. */
public record CouponCreated(CouponTerms terms) {
}
