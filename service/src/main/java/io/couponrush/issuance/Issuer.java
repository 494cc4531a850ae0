package io.couponrush.issuance;

import io.couponrush.coupon.CouponTerms;
import io.couponrush.coupon.Strategy;

/**
 * One concurrency strategy: settles one request for one copy of a coupon whose window is open.
 *
 * <p>An implementation answers {@link IssueOutcome.Issued} only after the grant is committed (I3),
 * any refusal only when nothing it wrote survives (I4), {@link IssueOutcome.AlreadyIssued} only for
 * a user whose grant is committed, and never {@link IssueOutcome.SoldOut} to a user who holds a copy
 * (I6). A request carrying an {@code Idempotency-Key} the user already holds a grant under is
 * answered with that grant.
 */
public interface Issuer {

    Strategy strategy();

    IssueOutcome issue(CouponTerms coupon, IssueRequest request);

    /**
     * Makes everything a first request would otherwise build (queues, a Redis gate) ready before
     * the window opens, so the first burst meets no cold path. Idempotent and cheap when ready.
     */
    default void prepare(CouponTerms coupon) {
    }
}
