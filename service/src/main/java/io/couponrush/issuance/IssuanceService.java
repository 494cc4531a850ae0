package io.couponrush.issuance;

import java.sql.SQLException;
import java.time.Clock;

import io.couponrush.coupon.CouponService;
import io.couponrush.coupon.CouponTerms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * The issue path: checks that stay the same whatever the strategy (coupon exists, window open),
 * then hands the request to the coupon's strategy, and records what happened.
 */
@Service
public class IssuanceService {

    private static final Logger log = LoggerFactory.getLogger(IssuanceService.class);

    /** MySQL/MariaDB ER_LOCK_WAIT_TIMEOUT; a deadlock (1213) is a different story, told as a rollback. */
    private static final int LOCK_WAIT_TIMEOUT = 1205;

    private final CouponService coupons;
    private final Issuers issuers;
    private final IssueMetrics metrics;
    private final Clock clock;

    IssuanceService(CouponService coupons, Issuers issuers, IssueMetrics metrics, Clock clock) {
        this.coupons = coupons;
        this.issuers = issuers;
        this.metrics = metrics;
        this.clock = clock;
    }

    public IssueOutcome issue(long couponId, long userId) {
        var terms = coupons.terms(couponId);
        if (terms.isEmpty()) {
            return IssueOutcome.NOT_FOUND;
        }
        var coupon = terms.get();
        long started = System.nanoTime();
        var now = clock.instant();
        IssueOutcome outcome;
        if (now.isBefore(coupon.startsAt())) {
            outcome = IssueOutcome.NOT_OPEN;
        } else if (!now.isBefore(coupon.endsAt())) {
            outcome = IssueOutcome.CLOSED;
        } else {
            outcome = settle(issuers.of(coupon.strategy()), coupon, userId);
        }
        metrics.record(coupon.strategy(), outcome, System.nanoTime() - started);
        return outcome;
    }

    private IssueOutcome settle(Issuer issuer, CouponTerms coupon, long userId) {
        try {
            return issuer.issue(coupon, userId);
        } catch (DataAccessResourceFailureException | CannotCreateTransactionException | QueryTimeoutException
                | TransientDataAccessResourceException e) {
            log.debug("Shedding issue for coupon {}: {}", coupon.id(), e.getMessage());
            return IssueOutcome.OVERLOADED;
        } catch (PessimisticLockingFailureException e) {
            if (e.getMostSpecificCause() instanceof SQLException sql && sql.getErrorCode() == LOCK_WAIT_TIMEOUT) {
                return IssueOutcome.LOCK_TIMEOUT; // waited for a row lock past innodb_lock_wait_timeout; rolled back
            }
            // Deadlock victim: InnoDB rolled the transaction back, nothing is written.
            // Expected from the naive strategy; from any other it is worth a look.
            if (coupon.strategy().unsafe()) {
                log.debug("Strategy {} lost a lock fight on coupon {}: {}", coupon.strategy(), coupon.id(), e.getMessage());
            } else {
                log.warn("Strategy {} lost a lock fight on coupon {}: {}", coupon.strategy(), coupon.id(), e.getMessage());
            }
            return new IssueOutcome.Failed("transaction rolled back: " + e.getClass().getSimpleName());
        }
    }
}
