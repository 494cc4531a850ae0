package io.couponrush.issuance.strategy;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import io.couponrush.coupon.Coupon;
import io.couponrush.coupon.CouponTerms;
import io.couponrush.coupon.Strategy;
import io.couponrush.issuance.IssueMetrics;
import io.couponrush.issuance.IssueOutcome;
import io.couponrush.issuance.IssueRequest;
import io.couponrush.issuance.IssueTransactions;
import io.couponrush.issuance.Issuer;
import io.couponrush.issuance.UserCouponStore;
import jakarta.persistence.EntityManager;
import jakarta.persistence.OptimisticLockException;
import org.springframework.orm.ObjectOptimisticLockingFailureException;
import org.springframework.stereotype.Component;

/**
 * {@code @Version} on the coupon: read without locking, write {@code … WHERE id = ? AND version = ?},
 * and if another transaction got there first, start over, a bounded number of times with
 * jittered exponential backoff, then answer {@code CONTENTION}.
 *
 * <p>Correct because a write based on a stale read matches no row and is retried. Under a flash
 * crowd most attempts lose, so it spends its time retrying: fine for moderate contention (the
 * seeds' 100 VUs), poor for a rush on one row.
 */
@Component
final class OptimisticVersionIssuer implements Issuer {

    private final EntityManager entities;
    private final IssueTransactions transaction;
    private final UserCouponStore userCoupons;
    private final IssueMetrics metrics;
    private final StrategySettings.Optimistic settings;

    OptimisticVersionIssuer(EntityManager entities, IssueTransactions transaction,
            UserCouponStore userCoupons, IssueMetrics metrics, StrategySettings settings) {
        this.entities = entities;
        this.transaction = transaction;
        this.userCoupons = userCoupons;
        this.metrics = metrics;
        this.settings = settings.optimistic();
    }

    @Override
    public Strategy strategy() {
        return Strategy.OPTIMISTIC;
    }

    @Override
    public IssueOutcome issue(CouponTerms coupon, IssueRequest request) {
        for (int attempt = 1; ; attempt++) {
            try {
                return attempt(coupon, request);
            } catch (ObjectOptimisticLockingFailureException | OptimisticLockException e) {
                // the first from a commit-time flush (translated by Spring), the second from our explicit flush
                if (attempt >= settings.maxAttempts()) {
                    return IssueOutcome.CONTENTION;
                }
                metrics.retry(Strategy.OPTIMISTIC);
                backOff(attempt);
            }
        }
    }

    private IssueOutcome attempt(CouponTerms coupon, IssueRequest request) {
        return transaction.execute(tx -> {
            var row = entities.find(Coupon.class, coupon.id());
            if (!row.takeOne()) {
                return userCoupons.soldOutFor(coupon.id(), request.userId()); // a holder hears what it holds
            }
            // The versioned UPDATE first: a stale read fails here, before the insert's
            // foreign-key check takes a shared lock on the coupon row.
            entities.flush();
            return userCoupons.grantNextCopy(coupon, request, tx);
        });
    }

    /**
     * Waiting is the mechanism here: retrying at once would lose to the same winner again. Full
     * jitter spreads the losers so they do not collide again in lockstep.
     */
    private void backOff(int attempt) {
        long cap = Math.min(settings.maxBackoff().toNanos(), settings.backoff().toNanos() << Math.min(attempt - 1, 20));
        long nanos = ThreadLocalRandom.current().nextLong(cap + 1);
        try {
            Thread.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
