package io.couponrush.issuance.strategy;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.couponrush.coupon.CouponTerms;
import io.couponrush.coupon.Strategy;
import io.couponrush.issuance.IssueMetrics;
import io.couponrush.issuance.IssueOutcome;
import io.couponrush.issuance.Issuer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * Turns losers away in Redis, commits winners in the database. One Lua script per request
 * decides admission (window, duplicate, stock) without touching the database; the admitted few
 * are committed through {@link GroupCommitIssuer} before their 201.
 *
 * <p>After a flash sale sells out, every further request costs one Redis round trip. If the
 * commit fails, the reservation is given back. If Redis cannot be reached at all, requests go
 * straight to the group-commit path: slower, still exact, because Redis never decides a grant
 * on its own.
 */
@Component
final class RedisGateIssuer implements Issuer {

    private static final Logger log = LoggerFactory.getLogger(RedisGateIssuer.class);

    private final CouponGate gate;
    private final GroupCommitIssuer commit;
    private final IssueMetrics metrics;
    private final Clock clock;
    private final Map<Long, Observation> leakChecks = new ConcurrentHashMap<>();

    RedisGateIssuer(CouponGate gate, GroupCommitIssuer commit, IssueMetrics metrics, Clock clock) {
        this.gate = gate;
        this.commit = commit;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public Strategy strategy() {
        return Strategy.REDIS_GATE;
    }

    @Override
    public IssueOutcome issue(CouponTerms coupon, long userId) {
        CouponGate.Admission admission;
        try {
            admission = gate.admit(coupon, userId, clock.instant());
        } catch (DataAccessException redisDown) {
            metrics.gateBypass();
            log.debug("Redis gate unavailable for coupon {}, settling in the database: {}", coupon.id(), redisDown.getMessage());
            return commit.issue(coupon, userId);
        }
        return switch (admission.verdict()) {
            case SOLD_OUT -> {
                checkForLeaks(coupon);
                yield IssueOutcome.SOLD_OUT;
            }
            case ALREADY_ISSUED -> IssueOutcome.ALREADY_ISSUED;
            case NOT_OPEN -> IssueOutcome.NOT_OPEN;
            case CLOSED -> IssueOutcome.CLOSED;
            case NOT_LOADED -> commit.issue(coupon, userId); // lost again right after the rebuild: let the database decide
            case ADMITTED -> commitAdmitted(coupon, userId, admission.epoch());
        };
    }

    private IssueOutcome commitAdmitted(CouponTerms coupon, long userId, long epoch) {
        IssueOutcome outcome;
        try {
            outcome = commit.issue(coupon, userId);
        } catch (RuntimeException e) {
            giveBack(coupon, userId, epoch, true);
            throw e;
        }
        switch (outcome) {
            case IssueOutcome.Issued _ -> { }
            // the gate admitted more than the database had (it was rebuilt while grants were in flight)
            case IssueOutcome.SoldOut _ -> safely(() -> gate.markSoldOut(coupon, userId, epoch));
            // the user does hold a copy (the gate did not know yet): return the stock, keep the user
            case IssueOutcome.AlreadyIssued _ -> giveBack(coupon, userId, epoch, false);
            default -> giveBack(coupon, userId, epoch, true);
        }
        return outcome;
    }

    /**
     * The gate says sold out. At the moment of a sell-out the database briefly has stock left (the
     * last grants are in flight), so that alone proves nothing. A leak is stock the database still
     * has, unchanged, a second later: nothing is in flight for it. Checked at most once a second
     * per coupon and instance, and not at all once the database path has seen the stock reach zero.
     */
    private void checkForLeaks(CouponTerms coupon) {
        if (commit.knownSoldOut(coupon.id())) {
            return; // stock in the database never comes back
        }
        long now = clock.millis();
        var last = leakChecks.get(coupon.id());
        if (last != null && now - last.atMillis() < 1_000) {
            return;
        }
        try {
            int remaining = commit.remaining(coupon.id());
            var seen = new Observation(now, remaining);
            boolean mine = last == null ? leakChecks.putIfAbsent(coupon.id(), seen) == null
                    : leakChecks.replace(coupon.id(), last, seen);
            if (mine && last != null && last.remaining() == remaining) {
                gate.repairIfLeaking(coupon, remaining);
            }
        } catch (DataAccessException e) {
            log.debug("Leak check of the gate of coupon {} failed: {}", coupon.id(), e.getMessage());
        }
    }

    private record Observation(long atMillis, int remaining) {
    }

    private void giveBack(CouponTerms coupon, long userId, long epoch, boolean releaseUser) {
        safely(() -> gate.giveBack(coupon, userId, epoch, releaseUser));
    }

    /**
     * A give-back that cannot reach Redis leaves the gate one short: a copy may go unsold until the
     * gate is rebuilt (the audit shows the gap). It can never cause an oversell, so it is logged, not raised.
     */
    private static void safely(Runnable gateWrite) {
        try {
            gateWrite.run();
        } catch (DataAccessException e) {
            log.warn("Could not correct the Redis gate: {}", e.getMessage());
        }
    }
}
