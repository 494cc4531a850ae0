package io.couponrush.issuance.strategy;

import java.util.function.Consumer;

import io.couponrush.coupon.CouponTerms;
import io.couponrush.coupon.Strategy;
import io.couponrush.issuance.IssueOutcome;
import io.couponrush.issuance.IssueRequest;
import io.couponrush.issuance.Issuer;
import io.couponrush.issuance.UserCouponStore;
import jakarta.persistence.EntityManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The seeds' first version, reproduced to show how it fails: read the coupon, check the stock,
 * insert the grant, decrement through JPA dirty checking, commit (default isolation, like their
 * {@code @Transactional}).
 *
 * <p>Two ways it breaks. Lost update: two transactions read the same stock, both write stock-1,
 * one decrement vanishes while both rows stay. Deadlock: both inserts take a shared lock on the
 * coupon row (the foreign-key check), then both flushes want the exclusive lock for the UPDATE,
 * and InnoDB kills one. Refused unless {@code couponrush.issuance.allow-unsafe=true}.
 */
@Component
final class NaiveReadModifyWriteIssuer implements Issuer {

    private final EntityManager entities;
    private final TransactionTemplate transaction;
    private final UserCouponStore userCoupons;
    private volatile Consumer<Step> pause = step -> { };

    NaiveReadModifyWriteIssuer(EntityManager entities, PlatformTransactionManager transactions,
            UserCouponStore userCoupons) {
        this.entities = entities;
        this.transaction = new TransactionTemplate(transactions);
        this.userCoupons = userCoupons;
    }

    @Override
    public Strategy strategy() {
        return Strategy.NONE;
    }

    @Override
    public IssueOutcome issue(CouponTerms coupon, IssueRequest request) {
        long userId = request.userId();
        return transaction.execute(tx -> {
            var row = entities.find(NaiveCoupon.class, coupon.id());
            pause.accept(Step.READ);
            if (row.remaining() <= 0) {
                return userCoupons.soldOutFor(coupon.id(), userId);
            }
            var copyNo = userCoupons.nextCopyNo(coupon, userId);
            if (UserCouponStore.LIMIT_REACHED.equals(copyNo)) {
                return userCoupons.soldOutFor(coupon.id(), userId);
            }
            // Insert now, UPDATE at commit: the order Hibernate's flush would give a persisted entity too.
            var issued = userCoupons.insert(coupon.id(), request, copyNo);
            pause.accept(Step.INSERTED);
            row.decrease();
            return new IssueOutcome.Issued(issued);
        });
    }

    /** Where the anomaly tests may stop a transaction to force an interleaving. */
    enum Step { READ, INSERTED }

    /** Lets the anomaly tests stop transactions at a {@link Step}; {@code null} removes the hook. */
    void pauseAt(Consumer<Step> hook) {
        this.pause = hook == null ? step -> { } : hook;
    }
}
