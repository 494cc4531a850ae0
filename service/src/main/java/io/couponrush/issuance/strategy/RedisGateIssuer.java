package io.couponrush.issuance.strategy;

import java.time.Clock;

import io.couponrush.coupon.CouponTerms;
import io.couponrush.coupon.Strategy;
import io.couponrush.infra.Dependencies;
import io.couponrush.issuance.IssueMetrics;
import io.couponrush.issuance.IssueOutcome;
import io.couponrush.issuance.IssueRequest;
import io.couponrush.issuance.Issuer;
import io.couponrush.issuance.UserCouponStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * Turns losers away in Redis, commits winners in the database. One Lua script per request
 * decides admission (window, holder, stock) without touching the database; the admitted few
 * are committed through {@link GroupCommitIssuer} before their 201, each under the row id its
 * reservation named, so anyone can later tell from the database whether it was committed.
 *
 * <p>After a flash sale sells out, every further request costs one Redis round trip. A reservation
 * is settled by its owner when the commit returns, and by any instance's {@link GateSweeper} once
 * its lease is over (owner dead, frozen, or cut off from Redis). If Redis cannot be reached, or its
 * circuit is open, requests go straight to the group-commit path: slower, still exact, because
 * Redis never decides a grant on its own.
 */
@Component
final class RedisGateIssuer implements Issuer {

    private static final Logger log = LoggerFactory.getLogger(RedisGateIssuer.class);

    private final CouponGate gate;
    private final GroupCommitIssuer commit;
    private final UserCouponStore userCoupons;
    private final IssueMetrics metrics;
    private final Dependencies dependencies;
    private final GateSettings settings;
    private final Clock clock;

    RedisGateIssuer(CouponGate gate, GroupCommitIssuer commit, UserCouponStore userCoupons, IssueMetrics metrics,
            Dependencies dependencies, GateSettings settings, Clock clock) {
        this.gate = gate;
        this.commit = commit;
        this.userCoupons = userCoupons;
        this.metrics = metrics;
        this.dependencies = dependencies;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public Strategy strategy() {
        return Strategy.REDIS_GATE;
    }

    @Override
    public IssueOutcome issue(CouponTerms coupon, IssueRequest request) {
        long reservation = userCoupons.newRowId();
        var now = clock.instant();
        CouponGate.Admission admission;
        try {
            admission = dependencies.redis(() -> gate.admit(coupon, request.userId(), now, reservation,
                    now.plus(settings.reservationLease())));
        } catch (Dependencies.Unavailable | DataAccessException redisDown) {
            metrics.gateBypass();
            log.debug("Redis gate unavailable for coupon {}, settling in the database: {}", coupon.id(), redisDown.getMessage());
            return commit.issue(coupon, request);
        }
        return switch (admission.verdict()) {
            case SOLD_OUT -> IssueOutcome.SOLD_OUT;
            case ALREADY_ISSUED -> new IssueOutcome.AlreadyIssued(admission.holder());
            case NOT_OPEN -> IssueOutcome.NOT_OPEN;
            case CLOSED -> IssueOutcome.CLOSED;
            // Not a holder yet and no copy to reserve, but the database has not said zero (the last
            // reservations are in flight, or stranded by a crash), or the gate was lost again right
            // after its rebuild: the database decides, and grants what is really left.
            case NOT_LOADED, IN_FLIGHT, EXHAUSTED -> straightToDatabase(coupon, request);
            case ADMITTED -> commitAdmitted(coupon, request, reservation, admission.epoch());
        };
    }

    @Override
    public void prepare(CouponTerms coupon) {
        commit.prepare(coupon);
        dependencies.redis(() -> {
            gate.ensureLoaded(coupon); // after a Redis restart too: the gate is back before anyone asks
            return null;
        });
    }

    private IssueOutcome straightToDatabase(CouponTerms coupon, IssueRequest request) {
        var outcome = commit.issue(coupon, request);
        switch (outcome) {
            case IssueOutcome.Issued(var row, var replayed) when !replayed ->
                    safely(() -> gate.learnGrant(coupon, request.userId(), row, request.idempotencyKey()));
            case IssueOutcome.AlreadyIssued(var holding) ->
                    safely(() -> gate.learnHolding(coupon, request.userId(), holding));
            default -> { }
        }
        if (commit.knownSoldOut(coupon.id())) {
            safely(() -> gate.learnSoldOut(coupon));
        }
        return outcome;
    }

    private IssueOutcome commitAdmitted(CouponTerms coupon, IssueRequest request, long reservation, long epoch) {
        long user = request.userId();
        IssueOutcome outcome;
        try {
            outcome = commit.issueReserved(coupon, request, reservation);
        } catch (RuntimeException e) {
            safely(() -> gate.returned(coupon, user, reservation, epoch));
            throw e;
        }
        switch (outcome) {
            case IssueOutcome.Issued(var row, var replayed) -> {
                if (!replayed) {
                    safely(() -> gate.granted(coupon, user, reservation, epoch, row, request.idempotencyKey()));
                } else {
                    safely(() -> gate.returned(coupon, user, reservation, epoch)); // an earlier grant answered it
                }
            }
            // the user does hold copies (the gate did not know yet): the copy goes back, the gate learns
            case IssueOutcome.AlreadyIssued(var holding) -> safely(() -> gate.held(coupon, user, reservation, epoch, holding));
            // the gate admitted more than the database had (rebuilt while grants were in flight)
            case IssueOutcome.SoldOut _ -> safely(() -> gate.soldOut(coupon, user, reservation, epoch));
            // the commit may have landed: the reservation stays, and the sweeper settles it from the
            // database once its lease is over
            case IssueOutcome.Unsettled _ -> { }
            default -> safely(() -> gate.returned(coupon, user, reservation, epoch));
        }
        if (commit.knownSoldOut(coupon.id()) && !(outcome instanceof IssueOutcome.SoldOut)) {
            safely(() -> gate.learnSoldOut(coupon));
        }
        return outcome;
    }

    /**
     * A gate write that cannot reach Redis leaves a reservation unsettled: its lease runs out and a
     * sweeper settles it from the database. It can never cause an oversell, so it is logged, not raised.
     */
    private void safely(Runnable gateWrite) {
        try {
            dependencies.redis(() -> {
                gateWrite.run();
                return null;
            });
        } catch (Dependencies.Unavailable | DataAccessException e) {
            log.debug("Could not settle with the Redis gate now (its sweeper will): {}", e.getMessage());
        }
    }
}
