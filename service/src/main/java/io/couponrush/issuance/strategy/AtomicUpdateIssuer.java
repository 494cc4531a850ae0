package io.couponrush.issuance.strategy;

import io.couponrush.coupon.CouponTerms;
import io.couponrush.coupon.Strategy;
import io.couponrush.issuance.IssueOutcome;
import io.couponrush.issuance.IssueRequest;
import io.couponrush.issuance.IssueTransactions;
import io.couponrush.issuance.Issuer;
import io.couponrush.issuance.UserCouponStore;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * One conditional UPDATE takes the copy, then the row is inserted, in one transaction.
 *
 * <p>Order matters. The seeds inserted first: the insert's foreign-key check takes a shared lock
 * on the coupon row, two transactions each held one, and each then waited for the other to
 * release it before its UPDATE could take the exclusive lock: a deadlock. Updating first takes
 * the exclusive lock before any shared one, so requests queue on the row instead of deadlocking,
 * and {@code remaining > 0} in the WHERE clause means stock can never go below zero whatever
 * the interleaving. A duplicate grant fails the unique key and rolls the decrement back.
 */
@Component
final class AtomicUpdateIssuer implements Issuer {

    static final String TAKE_ONE = """
            UPDATE coupons SET remaining = remaining - 1, version = version + 1
            WHERE id = ? AND remaining > 0
            """;

    private final JdbcClient jdbc;
    private final IssueTransactions transaction;
    private final UserCouponStore userCoupons;

    AtomicUpdateIssuer(JdbcClient jdbc, IssueTransactions transaction, UserCouponStore userCoupons) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.userCoupons = userCoupons;
    }

    @Override
    public Strategy strategy() {
        return Strategy.ATOMIC;
    }

    @Override
    public IssueOutcome issue(CouponTerms coupon, IssueRequest request) {
        return transaction.execute(tx -> {
            if (jdbc.sql(TAKE_ONE).param(coupon.id()).update() == 0) {
                return userCoupons.soldOutFor(coupon.id(), request.userId()); // a holder hears what it holds
            }
            return userCoupons.grantNextCopy(coupon, request, tx);
        });
    }
}
