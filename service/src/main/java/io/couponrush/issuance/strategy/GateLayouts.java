package io.couponrush.issuance.strategy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.couponrush.coupon.CouponService;
import io.couponrush.coupon.CouponTerms;
import org.springframework.stereotype.Component;

/**
 * Each coupon's {@link GateLayout}, worked out once (finding the sub-gates' tags costs a few thousand CRC16s at 64
 * sub-gates) and kept: a coupon's sub-gates never change after creation.
 */
@Component
final class GateLayouts {

    private final CouponService coupons;
    private final Cache<Long, GateLayout> layouts = Caffeine.newBuilder().maximumSize(10_000).build();

    GateLayouts(CouponService coupons) {
        this.coupons = coupons;
    }

    GateLayout of(CouponTerms coupon) {
        return layouts.get(coupon.id(), id -> GateLayout.of(id, coupon.subGates()));
    }

    /** The layout of a coupon known only by id (sweepers, the audit): its terms say how many sub-gates. */
    GateLayout of(long couponId) {
        var cached = layouts.getIfPresent(couponId);
        if (cached != null) {
            return cached;
        }
        return coupons.terms(couponId).map(this::of).orElseGet(() -> GateLayout.of(couponId, 1));
    }
}
