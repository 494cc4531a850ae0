package io.couponrush.coupon;

import org.springframework.context.ApplicationContext;

/** What the heap measurement needs of the terms cache. */
public final class CouponTermsAccess {

    private CouponTermsAccess() {
    }

    public static boolean cached(ApplicationContext context, long couponId) {
        return context.getBean(CouponService.class).termsCached(couponId);
    }
}
