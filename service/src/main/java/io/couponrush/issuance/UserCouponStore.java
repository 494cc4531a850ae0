package io.couponrush.issuance;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.couponrush.coupon.CouponTerms;
import io.couponrush.infra.IdGenerator;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionStatus;

/**
 * Writes and reads {@code user_coupons} rows, inside whatever transaction the caller runs.
 *
 * <p>Copy numbers carry the per-user limit into the unique key (coupon, user, copy_no): limit 1
 * means every grant is copy 1, so a second grant for the same user is a duplicate key whatever
 * the strategy did before it.
 */
@Component
public class UserCouponStore {

    private final JdbcClient jdbc;
    private final IdGenerator ids;
    private final Clock clock;

    UserCouponStore(JdbcClient jdbc, IdGenerator ids, Clock clock) {
        this.jdbc = jdbc;
        this.ids = ids;
        this.clock = clock;
    }

    /** The copy number the user's next copy gets ({@code null} when unlimited), or {@link #LIMIT_REACHED}. */
    public Integer nextCopyNo(CouponTerms coupon, long userId) {
        if (coupon.unlimitedPerUser()) {
            return null;
        }
        if (coupon.perUserLimit() == 1) {
            return 1; // the unique key alone decides; no read needed
        }
        int held = countHeld(coupon.id(), userId);
        return held >= coupon.perUserLimit() ? LIMIT_REACHED : held + 1;
    }

    public static final Integer LIMIT_REACHED = -1;

    /**
     * Whether a duplicate-key failure is the per-user limit speaking (ALREADY_ISSUED), not some
     * other unique key (a row id collision must surface as an error, never as a polite 409).
     */
    public static boolean isDuplicateGrant(DuplicateKeyException e) {
        return String.valueOf(e.getMostSpecificCause().getMessage()).contains("uk_user_coupons_copy");
    }

    public int countHeld(long couponId, long userId) {
        return jdbc.sql("SELECT COUNT(*) FROM user_coupons WHERE coupon_id = ? AND user_id = ?")
                .params(couponId, userId).query(Integer.class).single();
    }

    /**
     * Grants the user's next copy inside the caller's transaction, once the caller has taken the
     * stock. At the limit (or on a duplicate of the per-user key) it marks the transaction for
     * rollback, so the stock it took goes back, and answers ALREADY_ISSUED.
     */
    public IssueOutcome grantNextCopy(CouponTerms coupon, long userId, TransactionStatus tx) {
        var copyNo = nextCopyNo(coupon, userId);
        if (LIMIT_REACHED.equals(copyNo)) {
            tx.setRollbackOnly();
            return IssueOutcome.ALREADY_ISSUED;
        }
        try {
            return new IssueOutcome.Issued(insert(coupon.id(), userId, copyNo));
        } catch (DuplicateKeyException e) {
            if (!isDuplicateGrant(e)) {
                throw e;
            }
            tx.setRollbackOnly();
            return IssueOutcome.ALREADY_ISSUED;
        }
    }

    /** Inserts one grant; a duplicate (coupon, user, copy_no) throws {@code DuplicateKeyException}. */
    public IssuedCoupon insert(long couponId, long userId, Integer copyNo) {
        var issued = new IssuedCoupon(ids.next(), couponId, userId, now());
        jdbc.sql("INSERT INTO user_coupons (id, coupon_id, user_id, copy_no, issued_at) VALUES (?, ?, ?, ?, ?)")
                .params(issued.userCouponId(), couponId, userId, copyNo, utc(issued.issuedAt()))
                .update();
        return issued;
    }

    /** One grant of a batch: who, and which copy ({@code null} when unlimited). */
    public record Grant(long userId, Integer copyNo) {
    }

    /**
     * Inserts a whole batch in one multi-row statement; ids are made here, so no generated keys
     * need reading back. Any duplicate fails the whole statement (and the caller's transaction).
     */
    public List<IssuedCoupon> insertAll(long couponId, List<Grant> grants) {
        var issuedAt = now();
        var issued = new ArrayList<IssuedCoupon>(grants.size());
        var params = new ArrayList<Object>(grants.size() * 5);
        var sql = new StringBuilder("INSERT INTO user_coupons (id, coupon_id, user_id, copy_no, issued_at) VALUES ");
        for (int i = 0; i < grants.size(); i++) {
            var grant = grants.get(i);
            var row = new IssuedCoupon(ids.next(), couponId, grant.userId(), issuedAt);
            issued.add(row);
            sql.append(i == 0 ? "(?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?)");
            params.addAll(java.util.Arrays.asList(row.userCouponId(), couponId, grant.userId(), grant.copyNo(), utc(issuedAt)));
        }
        jdbc.sql(sql.toString()).params(params).update();
        return issued;
    }

    /** How many copies each of these users holds already (users holding none are absent), in a fresh map the caller may change. */
    public Map<Long, Integer> heldCounts(long couponId, Collection<Long> userIds) {
        var held = new HashMap<Long, Integer>();
        jdbc.sql("SELECT user_id, COUNT(*) FROM user_coupons WHERE coupon_id = :coupon AND user_id IN (:users) GROUP BY user_id")
                .param("coupon", couponId)
                .param("users", userIds)
                .query(rs -> {
                    held.put(rs.getLong(1), rs.getInt(2));
                });
        return held;
    }

    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    public List<HeldCoupon> heldBy(long userId) {
        return jdbc.sql("""
                SELECT uc.id, uc.coupon_id, c.name, c.discount_amount, uc.issued_at
                FROM user_coupons uc JOIN coupons c ON c.id = uc.coupon_id
                WHERE uc.user_id = ?
                ORDER BY uc.issued_at DESC, uc.id DESC
                LIMIT 1000
                """)
                .param(userId)
                .query((rs, n) -> new HeldCoupon(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getLong(4),
                        rs.getObject(5, LocalDateTime.class).toInstant(ZoneOffset.UTC)))
                .list();
    }

    /** DATETIME columns hold UTC wall time; bind as a zone-less value so no JVM zone shifts it. */
    public static LocalDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC).toLocalDateTime();
    }

    public record HeldCoupon(long userCouponId, long couponId, String couponName, long discountAmount,
            Instant issuedAt) {
    }
}
