package io.couponrush.issuance;

import java.sql.SQLException;
import java.time.Clock;

import io.couponrush.coupon.CouponService;
import io.couponrush.coupon.CouponTerms;
import io.couponrush.infra.Dependencies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
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
    private final UserCouponStore userCoupons;
    private final Dependencies dependencies;
    private final RefusalLedger refusals;
    private final Clock clock;
    private final Admissions admissions;

    IssuanceService(CouponService coupons, Issuers issuers, IssueMetrics metrics, UserCouponStore userCoupons,
            Dependencies dependencies, RefusalLedger refusals, Clock clock, Admissions admissions) {
        this.admissions = admissions;
        this.dependencies = dependencies;
        this.refusals = refusals;
        this.coupons = coupons;
        this.issuers = issuers;
        this.metrics = metrics;
        this.userCoupons = userCoupons;
        this.clock = clock;
    }

    public IssueOutcome issue(long couponId, long userId) {
        return issue(couponId, IssueRequest.of(userId));
    }

    public IssueOutcome issue(long couponId, IssueRequest request) {
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
        } else if (coupon.room() != null && admit(coupon, request.userId(), now) instanceof IssueOutcome refused) {
            // a holder whose turn ended retrying with the key of its grant hears that grant, as without a room
            outcome = replayIfSameKey(coupon, request, refused);
        } else {
            outcome = replayIfSameKey(coupon, request, settle(issuers.of(coupon.strategy()), coupon, request));
            if (outcome instanceof IssueOutcome.SoldOut) {
                refusals.soldOut(coupon.id(), request.arrivedAt());
            }
            if (coupon.room() != null && (outcome instanceof IssueOutcome.Issued || outcome instanceof IssueOutcome.AlreadyIssued)) {
                admissions.used(coupon, request.userId());
            }
        }
        metrics.record(coupon.id(), coupon.strategy(), outcome, System.nanoTime() - started);
        return outcome;
    }

    /**
     * {@code null} when the person has a turn; otherwise the answer: what they hold (their turn ended), not
     * admitted, or overloaded when the room cannot say (its servers are down, or answered with an error: a
     * Redis error reply says nothing about this person, and is no reason for a 500).
     */
    private IssueOutcome admit(CouponTerms coupon, long userId, java.time.Instant now) {
        try {
            var verdict = admissions.check(coupon, userId, now);
            if (verdict.admitted()) {
                return null;
            }
            return verdict.holding() != null ? new IssueOutcome.AlreadyIssued(verdict.holding())
                    : new IssueOutcome.NotAdmitted(verdict.place());
        } catch (DataAccessException | Dependencies.Unavailable e) {
            dependencies.failed(e);
            return IssueOutcome.OVERLOADED;
        }
    }

    /**
     * A retry with the key of a grant the user already holds is answered with that grant. The
     * strategies see it when the newest grant carries the key (the common case, from memory or the
     * gate); an older grant of a multi-copy coupon is looked up by its unique key.
     */
    private IssueOutcome replayIfSameKey(CouponTerms coupon, IssueRequest request, IssueOutcome outcome) {
        if (!request.keyed() || !(outcome instanceof IssueOutcome.AlreadyIssued(var holding))) {
            return outcome;
        }
        if (request.idempotencyKey().equals(holding.latestKey())) {
            return new IssueOutcome.Issued(holding.latest(), true);
        }
        if (coupon.perUserLimit() == 1) {
            return outcome; // the one grant there can be was made under another key (or none)
        }
        try {
            return userCoupons.replay(coupon.id(), request).orElse(outcome);
        } catch (DataAccessResourceFailureException | CannotCreateTransactionException | Dependencies.Unavailable e) {
            return outcome; // still true: the user holds what it says
        }
    }

    private IssueOutcome settle(Issuer issuer, CouponTerms coupon, IssueRequest request) {
        try {
            return issuer.issue(coupon, request);
        } catch (CommitOutcomeUnknown e) {
            log.warn("Commit of an issue of coupon {} lost its answer: {}", coupon.id(), e.getMessage());
            return IssueOutcome.UNSETTLED;
        } catch (DataAccessResourceFailureException | CannotCreateTransactionException | QueryTimeoutException
                | TransientDataAccessResourceException | Dependencies.Unavailable e) {
            log.debug("Shedding issue for coupon {}: {}", coupon.id(), e.getMessage());
            dependencies.failed(e);
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
