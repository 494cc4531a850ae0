package io.couponrush.issuance;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

import io.couponrush.coupon.CouponTerms;
import io.couponrush.infra.IdGenerator;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

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

    public int countHeld(long couponId, long userId) {
        return jdbc.sql("SELECT COUNT(*) FROM user_coupons WHERE coupon_id = ? AND user_id = ?")
                .params(couponId, userId).query(Integer.class).single();
    }

    /** Inserts one grant; a duplicate (coupon, user, copy_no) throws {@code DuplicateKeyException}. */
    public IssuedCoupon insert(long couponId, long userId, Integer copyNo) {
        var issued = new IssuedCoupon(ids.next(), couponId, userId, now());
        jdbc.sql("INSERT INTO user_coupons (id, coupon_id, user_id, copy_no, issued_at) VALUES (?, ?, ?, ?, ?)")
                .params(issued.userCouponId(), couponId, userId, copyNo, utc(issued.issuedAt()))
                .update();
        return issued;
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
