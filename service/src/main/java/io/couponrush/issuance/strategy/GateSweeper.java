package io.couponrush.issuance.strategy;

import java.time.Clock;

import io.couponrush.coupon.CouponService;
import io.couponrush.infra.Dependencies;
import io.couponrush.infra.Periodic;
import io.couponrush.issuance.UserCouponStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Settles the reservations nobody settled in time, on every instance: whichever sweeper claims a
 * reservation past its deadline asks the database whether the row it named exists. If it does, the
 * user becomes a holder; if not, its copy goes back to the gate for the next user. So a copy held
 * by an instance that died or froze is free again within one lease plus one sweep interval, and no
 * instance needs to survive for it. For a coupon split into sub-gates it also puts back copies the gates
 * lost track of ({@link SubGateStock#reconcile}).
 */
@Component
final class GateSweeper extends Periodic {

    private static final Logger log = LoggerFactory.getLogger(GateSweeper.class);
    private static final int CLAIM_AT_ONCE = 500;

    private final CouponGate gate;
    private final SubGateStock stock;
    private final UserCouponStore userCoupons;
    private final CouponService coupons;
    private final Dependencies dependencies;
    private final GateSettings settings;
    private final Clock clock;
    private final Counter returned;
    private final Counter confirmed;

    GateSweeper(CouponGate gate, SubGateStock stock, UserCouponStore userCoupons, CouponService coupons, Dependencies dependencies,
            GateSettings settings, Clock clock, MeterRegistry meters) {
        super("gate-sweeper", settings.sweepInterval(), settings.sweepInterval(), log);
        this.gate = gate;
        this.stock = stock;
        this.userCoupons = userCoupons;
        this.coupons = coupons;
        this.dependencies = dependencies;
        this.settings = settings;
        this.clock = clock;
        this.returned = Counter.builder("couponrush.gate.reservations.expired")
                .description("Reservations settled by a sweeper: their row was never written, the copy went back")
                .tag("result", "returned").register(meters);
        this.confirmed = Counter.builder("couponrush.gate.reservations.expired")
                .description("Reservations settled by a sweeper: their row was never written, the copy went back")
                .tag("result", "committed").register(meters);
    }

    /** One pass over every gated coupon; answers how many reservations it settled. */
    int sweep() {
        int settled = 0;
        var now = clock.instant();
        for (long couponId : dependencies.redis(gate::gatedCoupons)) {
            while (true) {
                var due = dependencies.redis(() -> gate.due(couponId, now, now.plus(settings.reservationLease()), CLAIM_AT_ONCE));
                if (due.isEmpty()) {
                    break;
                }
                var rows = userCoupons.existing(due.stream().map(CouponGate.Due::reservation).toList());
                for (var reservation : due) {
                    var row = rows.get(reservation.reservation());
                    dependencies.redis(() -> {
                        gate.settleDue(reservation, row == null ? null : row.coupon(), row == null ? null : row.key());
                        return null;
                    });
                    (row == null ? returned : confirmed).increment();
                    settled++;
                }
                log.info("Settled {} reservations of coupon {} past their deadline", due.size(), couponId);
                if (due.size() < CLAIM_AT_ONCE) {
                    break;
                }
            }
            var terms = coupons.terms(couponId);
            if ((terms.isEmpty() || !now.isBefore(terms.get().endsAt())) && gate.pendingCount(couponId) == 0) {
                gate.forget(couponId);
            } else if (terms.isPresent() && terms.get().subGates() > 1) {
                dependencies.redis(() -> stock.reconcile(terms.get(), () -> coupons.remaining(couponId)));
            }
        }
        return settled;
    }

    @Override
    protected void runOnce() {
        sweep();
    }
}
