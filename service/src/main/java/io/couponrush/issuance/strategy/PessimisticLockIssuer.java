package io.couponrush.issuance.strategy;

import java.util.Map;

import io.couponrush.coupon.Coupon;
import io.couponrush.coupon.CouponTerms;
import io.couponrush.coupon.Strategy;
import io.couponrush.issuance.IssueOutcome;
import io.couponrush.issuance.Issuer;
import io.couponrush.issuance.UserCouponStore;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code SELECT … FOR UPDATE} on the coupon row, then check, decrement and insert while holding it.
 *
 * <p>Correct because every request for a coupon waits for the row's exclusive lock, so the read
 * stock is the committed stock. Slow for the same reason: one hot row, one transaction at a
 * time, each holding the lock across several round trips. The wait is bounded by the lock
 * timeout (on MariaDB {@code FOR UPDATE WAIT n}; MySQL has no per-statement wait, there
 * {@code innodb_lock_wait_timeout} bounds it).
 */
@Component
final class PessimisticLockIssuer implements Issuer {

    private final EntityManager entities;
    private final TransactionTemplate transaction;
    private final UserCouponStore userCoupons;
    private final Map<String, Object> lockHints;

    PessimisticLockIssuer(EntityManager entities, TransactionTemplate issueTransaction, UserCouponStore userCoupons,
            StrategySettings settings) {
        this.entities = entities;
        this.transaction = issueTransaction;
        this.userCoupons = userCoupons;
        this.lockHints = Map.of("jakarta.persistence.lock.timeout", settings.pessimistic().lockTimeout().toMillis());
    }

    @Override
    public Strategy strategy() {
        return Strategy.PESSIMISTIC;
    }

    @Override
    public IssueOutcome issue(CouponTerms coupon, long userId) {
        try {
            return transaction.execute(tx -> {
                var row = entities.find(Coupon.class, coupon.id(), LockModeType.PESSIMISTIC_WRITE, lockHints);
                if (!row.takeOne()) {
                    return IssueOutcome.SOLD_OUT;
                }
                return userCoupons.grantNextCopy(coupon, userId, tx); // the decrement flushes at commit
            });
        } catch (PessimisticLockingFailureException | jakarta.persistence.PessimisticLockException
                | jakarta.persistence.LockTimeoutException e) {
            return IssueOutcome.LOCK_TIMEOUT;
        }
    }
}
