package io.couponrush.issuance.strategy;

import java.util.Map;

import io.couponrush.coupon.Coupon;
import io.couponrush.coupon.CouponTerms;
import io.couponrush.coupon.Strategy;
import io.couponrush.issuance.IssueOutcome;
import io.couponrush.issuance.IssueRequest;
import io.couponrush.issuance.IssueTransactions;
import io.couponrush.issuance.Issuer;
import io.couponrush.issuance.UserCouponStore;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.stereotype.Component;

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
    private final IssueTransactions transaction;
    private final UserCouponStore userCoupons;
    private final Map<String, Object> lockHints;

    PessimisticLockIssuer(EntityManager entities, IssueTransactions transaction, UserCouponStore userCoupons,
            StrategySettings settings) {
        this.entities = entities;
        this.transaction = transaction;
        this.userCoupons = userCoupons;
        this.lockHints = Map.of("jakarta.persistence.lock.timeout", settings.pessimistic().lockTimeout().toMillis());
    }

    @Override
    public Strategy strategy() {
        return Strategy.PESSIMISTIC;
    }

    @Override
    public IssueOutcome issue(CouponTerms coupon, IssueRequest request) {
        try {
            return transaction.execute(tx -> {
                var row = entities.find(Coupon.class, coupon.id(), LockModeType.PESSIMISTIC_WRITE, lockHints);
                if (!row.takeOne()) {
                    return userCoupons.soldOutFor(coupon.id(), request.userId()); // a holder hears what it holds
                }
                var outcome = userCoupons.grantNextCopy(coupon, request, tx);
                if (!tx.isRollbackOnly()) {
                    entities.flush(); // the decrement, before COMMIT: a failed commit then means a lost answer only
                }
                return outcome;
            });
        } catch (PessimisticLockingFailureException | jakarta.persistence.PessimisticLockException
                | jakarta.persistence.LockTimeoutException e) {
            return IssueOutcome.LOCK_TIMEOUT;
        }
    }
}
