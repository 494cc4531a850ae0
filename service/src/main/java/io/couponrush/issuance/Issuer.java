package io.couponrush.issuance;

import io.couponrush.coupon.CouponTerms;
import io.couponrush.coupon.Strategy;

/**
 * One concurrency strategy: settles one request for one copy of a coupon whose window is open.
 *
 * <p>An implementation answers {@link IssueOutcome.Issued} only after the grant is committed (I3),
 * and any other outcome only when nothing it wrote survives (I4).
 */
public interface Issuer {

    Strategy strategy();

    IssueOutcome issue(CouponTerms coupon, long userId);
}
