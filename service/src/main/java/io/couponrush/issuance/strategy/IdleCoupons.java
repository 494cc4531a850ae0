package io.couponrush.issuance.strategy;

import java.time.Clock;

import io.couponrush.infra.Periodic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Memory per coupon lasts only while the coupon is asked for: every {@code idle-after / 4} each
 * instance drops the group-commit lanes (with a sold-out coupon's holders), the gate's waiting
 * state and the expired cached terms of the coupons nobody asked for in {@code idle-after}. The warm-up keeps the coupons about to
 * open (and the open ones, up to its own bound) ready, so an opening never meets a dropped lane.
 */
@Component
final class IdleCoupons extends Periodic {

    private static final Logger log = LoggerFactory.getLogger(IdleCoupons.class);

    private final io.couponrush.coupon.CouponService coupons;
    private final GroupCommitIssuer lanes;
    private final RedisGateIssuer gate;
    private final BatchSettings settings;
    private final Clock clock;

    IdleCoupons(io.couponrush.coupon.CouponService coupons, GroupCommitIssuer lanes, RedisGateIssuer gate,
            BatchSettings settings, Clock clock) {
        super("idle-coupons", settings.idleAfter().dividedBy(4), settings.idleAfter().dividedBy(4), log);
        this.coupons = coupons;
        this.lanes = lanes;
        this.gate = gate;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    protected void runOnce() {
        sweep();
    }

    /** One pass: answers how many coupons' lanes it dropped. */
    int sweep() {
        long idleBefore = clock.millis() - settings.idleAfter().toMillis();
        gate.evictIdle(idleBefore);
        coupons.forgetIdleTerms();
        int dropped = lanes.evictIdle(idleBefore);
        if (dropped > 0) {
            log.debug("Dropped the lanes of {} idle coupon(s)", dropped);
        }
        return dropped;
    }
}
