package io.couponrush.issuance;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
 * the strategy did before it. A second unique key (user, idempotency_key) makes a retried request
 * with the same {@code Idempotency-Key} find its original grant instead of taking another copy.
 */
@Component
public class UserCouponStore {

    private static final String GRANT_KEY = "uk_user_coupons_copy";
    private static final String IDEMPOTENCY_KEY = "uk_user_coupons_idempotency";

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
        return String.valueOf(e.getMostSpecificCause().getMessage()).contains(GRANT_KEY);
    }

    /** Whether a duplicate-key failure is an {@code Idempotency-Key} this user already has a grant under. */
    public static boolean isDuplicateIdempotencyKey(DuplicateKeyException e) {
        return String.valueOf(e.getMostSpecificCause().getMessage()).contains(IDEMPOTENCY_KEY);
    }

    public int countHeld(long couponId, long userId) {
        return jdbc.sql("SELECT COUNT(*) FROM user_coupons WHERE coupon_id = ? AND user_id = ?")
                .params(couponId, userId).query(Integer.class).single();
    }

    /**
     * Grants the user's next copy inside the caller's transaction, once the caller has taken the
     * stock. At the limit (or on a duplicate of a unique key) it marks the transaction for
     * rollback, so the stock it took goes back, and answers what the user holds.
     */
    public IssueOutcome grantNextCopy(CouponTerms coupon, IssueRequest request, TransactionStatus tx) {
        var copyNo = nextCopyNo(coupon, request.userId());
        if (LIMIT_REACHED.equals(copyNo)) {
            tx.setRollbackOnly();
            return alreadyIssued(coupon.id(), request.userId());
        }
        try {
            return new IssueOutcome.Issued(insert(coupon.id(), request, copyNo));
        } catch (DuplicateKeyException e) {
            tx.setRollbackOnly();
            if (isDuplicateGrant(e)) {
                return alreadyIssued(coupon.id(), request.userId());
            }
            if (isDuplicateIdempotencyKey(e)) {
                return replay(coupon.id(), request).orElseThrow(() -> e);
            }
            throw e;
        }
    }

    /**
     * The answer to a request that gets no copy because stock ran out (I6): a holder hears what it
     * holds, everyone else hears sold out.
     */
    public IssueOutcome soldOutFor(long couponId, long userId) {
        return holding(couponId, userId).<IssueOutcome>map(IssueOutcome.AlreadyIssued::new)
                .orElse(IssueOutcome.SOLD_OUT);
    }

    private IssueOutcome alreadyIssued(long couponId, long userId) {
        return holding(couponId, userId).<IssueOutcome>map(IssueOutcome.AlreadyIssued::new)
                // the competing grant that made the key collide was rolled back after all: nothing held
                .orElse(IssueOutcome.CONTENTION);
    }

    /** The original grant of a request with the same key, or the coupon the key was used for. */
    public Optional<IssueOutcome> replay(long couponId, IssueRequest request) {
        return byKey(request.userId(), request.idempotencyKey()).map(found -> found.coupon().couponId() == couponId
                ? new IssueOutcome.Issued(found.coupon(), true)
                : new IssueOutcome.KeyReused(found.coupon().couponId()));
    }

    /** A grant of this user made under this key, of any coupon. */
    public Optional<KeyedGrant> byKey(long userId, String key) {
        return jdbc.sql("SELECT id, coupon_id, user_id, issued_at, idempotency_key FROM user_coupons "
                        + "WHERE user_id = ? AND idempotency_key = ?")
                .params(userId, key)
                .query((rs, n) -> new KeyedGrant(issued(rs, 1), rs.getString(5)))
                .optional();
    }

    /** A grant and the key it was made under. */
    public record KeyedGrant(IssuedCoupon coupon, String key) {
    }

    /** Grants made under any of these (user, key) pairs, by pair. */
    public Map<UserKey, IssuedCoupon> byKeys(Collection<UserKey> keys) {
        var found = new HashMap<UserKey, IssuedCoupon>();
        if (keys.isEmpty()) {
            return found;
        }
        var pairs = keys.stream().map(k -> new Object[] {k.userId(), k.key()}).toList();
        jdbc.sql("SELECT id, coupon_id, user_id, issued_at, idempotency_key FROM user_coupons "
                        + "WHERE (user_id, idempotency_key) IN (:pairs)")
                .param("pairs", pairs)
                .query(rs -> {
                    var grant = issued(rs, 1);
                    found.put(new UserKey(grant.userId(), rs.getString(5)), grant);
                });
        return found;
    }

    /** A user's idempotency key. */
    public record UserKey(long userId, String key) {
    }

    /** What this user holds of the coupon, from the database. */
    public Optional<Holding> holding(long couponId, long userId) {
        return jdbc.sql("""
                SELECT id, coupon_id, user_id, issued_at, idempotency_key,
                       (SELECT COUNT(*) FROM user_coupons WHERE coupon_id = ? AND user_id = ?)
                FROM user_coupons WHERE coupon_id = ? AND user_id = ?
                ORDER BY id DESC LIMIT 1
                """)
                .params(couponId, userId, couponId, userId)
                .query((rs, n) -> new Holding(rs.getInt(6), issued(rs, 1), rs.getString(5)))
                .optional();
    }

    /** What each of these users holds (users holding nothing are absent), in a fresh map the caller may change. */
    public Map<Long, Holding> holdings(long couponId, Collection<Long> userIds) {
        var held = new HashMap<Long, Holding>();
        if (userIds.isEmpty()) {
            return held;
        }
        jdbc.sql("""
                SELECT uc.id, uc.coupon_id, uc.user_id, uc.issued_at, uc.idempotency_key, h.copies
                FROM user_coupons uc
                JOIN (SELECT MAX(id) AS latest, COUNT(*) AS copies FROM user_coupons
                      WHERE coupon_id = :coupon AND user_id IN (:users) GROUP BY user_id) h ON uc.id = h.latest
                """)
                .param("coupon", couponId)
                .param("users", userIds)
                .query(rs -> {
                    var latest = issued(rs, 1);
                    held.put(latest.userId(), new Holding(rs.getInt(6), latest, rs.getString(5)));
                });
        return held;
    }

    /**
     * Everything held of a coupon, or empty when more than {@code max} users hold it (the caller
     * then asks per user). Ids are time-ordered, so the highest id is the newest grant.
     */
    public Optional<Map<Long, Holding>> allHoldings(long couponId, int max) {
        int users = jdbc.sql("SELECT COUNT(DISTINCT user_id) FROM user_coupons WHERE coupon_id = ?")
                .param(couponId).query(Integer.class).single();
        if (users > max) {
            return Optional.empty();
        }
        var held = HashMap.<Long, Holding>newHashMap(users);
        jdbc.sql("""
                SELECT uc.id, uc.coupon_id, uc.user_id, uc.issued_at, uc.idempotency_key, h.copies
                FROM user_coupons uc
                JOIN (SELECT MAX(id) AS latest, COUNT(*) AS copies FROM user_coupons
                      WHERE coupon_id = ? GROUP BY user_id) h ON uc.id = h.latest
                """)
                .param(couponId)
                .query(rs -> {
                    var latest = issued(rs, 1);
                    held.put(latest.userId(), new Holding(rs.getInt(6), latest, rs.getString(5)));
                });
        return Optional.of(held);
    }

    /** Which of these row ids exist, with their grants. */
    public Map<Long, KeyedGrant> existing(Collection<Long> rowIds) {
        var found = new HashMap<Long, KeyedGrant>();
        if (rowIds.isEmpty()) {
            return found;
        }
        jdbc.sql("SELECT id, coupon_id, user_id, issued_at, idempotency_key FROM user_coupons WHERE id IN (:ids)")
                .param("ids", rowIds)
                .query(rs -> {
                    found.put(rs.getLong(1), new KeyedGrant(issued(rs, 1), rs.getString(5)));
                });
        return found;
    }

    private static IssuedCoupon issued(ResultSet rs, int first) throws SQLException {
        return new IssuedCoupon(rs.getLong(first), rs.getLong(first + 1), rs.getLong(first + 2),
                rs.getObject(first + 3, LocalDateTime.class).toInstant(ZoneOffset.UTC));
    }

    /** Inserts one grant; a duplicate of a unique key throws {@code DuplicateKeyException}. */
    public IssuedCoupon insert(long couponId, IssueRequest request, Integer copyNo) {
        return insertAll(couponId, List.of(new Grant(request.userId(), copyNo, request.idempotencyKey(), null,
                request.arrivedAt()))).getFirst();
    }

    /**
     * One grant of a batch: who, which copy ({@code null} when unlimited), under which key, the row
     * id when it was chosen before (a Redis gate reservation names its row in advance), and when the
     * server received the request.
     */
    public record Grant(long userId, Integer copyNo, String idempotencyKey, Long rowId, Instant requestedAt) {

        public Grant(long userId, Integer copyNo) {
            this(userId, copyNo, null, null, null);
        }
    }

    /** A new row id, for a reservation that names its row before the row exists. */
    public long newRowId() {
        return ids.next();
    }

    /**
     * Inserts a whole batch in one multi-row statement; ids are made here (or were reserved), so no
     * generated keys need reading back. Any duplicate fails the whole statement (and the caller's transaction).
     */
    public List<IssuedCoupon> insertAll(long couponId, List<Grant> grants) {
        var issuedAt = now();
        var issued = new ArrayList<IssuedCoupon>(grants.size());
        var params = new ArrayList<Object>(grants.size() * 7);
        var sql = new StringBuilder(
                "INSERT INTO user_coupons (id, coupon_id, user_id, copy_no, issued_at, idempotency_key, requested_at) VALUES ");
        for (int i = 0; i < grants.size(); i++) {
            var grant = grants.get(i);
            var row = new IssuedCoupon(grant.rowId() != null ? grant.rowId() : ids.next(), couponId, grant.userId(), issuedAt);
            issued.add(row);
            sql.append(i == 0 ? "(?, ?, ?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?, ?, ?)");
            params.addAll(Arrays.asList(row.userCouponId(), couponId, grant.userId(), grant.copyNo(), utc(issuedAt),
                    grant.idempotencyKey(), grant.requestedAt() == null ? null : utc(grant.requestedAt())));
        }
        jdbc.sql(sql.toString()).params(params).update();
        return issued;
    }

    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** The user's copies, newest first, each with what it is worth and where it stands now. */
    public List<HeldCoupon> heldBy(long userId) {
        return jdbc.sql(HELD + " WHERE uc.user_id = ? ORDER BY uc.issued_at DESC, uc.id DESC LIMIT 1000")
                .param(userId)
                .query(this::held)
                .list();
    }

    /** One of the user's copies; empty for another user's (answered like one that does not exist). */
    public Optional<HeldCoupon> heldBy(long userId, long userCouponId) {
        return jdbc.sql(HELD + " WHERE uc.id = ? AND uc.user_id = ?").params(userCouponId, userId).query(this::held).optional();
    }

    private static final String HELD = """
            SELECT uc.id, uc.coupon_id, c.name, c.discount_amount, uc.issued_at, c.discount_type, c.discount_percent,
                   c.max_discount, c.min_order_amount, c.valid_until, c.valid_days, uc.order_id, uc.hold_until, uc.used_at,
                   uc.discount
            FROM user_coupons uc JOIN coupons c ON c.id = uc.coupon_id""";

    private HeldCoupon held(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        var issuedAt = instant(rs.getObject(5, LocalDateTime.class));
        var terms = new io.couponrush.coupon.RedemptionTerms(io.couponrush.coupon.RedemptionTerms.Type.valueOf(rs.getString(6)),
                rs.getLong(4), (Integer) rs.getObject(7, Integer.class), (Long) rs.getObject(8, Long.class), rs.getLong(9),
                instant(rs.getObject(10, LocalDateTime.class)), (Integer) rs.getObject(11, Integer.class));
        var holdUntil = instant(rs.getObject(13, LocalDateTime.class));
        var usedAt = instant(rs.getObject(14, LocalDateTime.class));
        var state = terms.stateOf(issuedAt, rs.getString(12), holdUntil, usedAt, clock.instant());
        return new HeldCoupon(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getLong(4), issuedAt, state.name(),
                terms.type().name().toLowerCase(java.util.Locale.ROOT), terms.percent(), terms.maxDiscount(), terms.minOrderAmount(),
                terms.expiresAt(issuedAt), usedAt, state == io.couponrush.coupon.RedemptionTerms.CopyState.USED
                        ? (Long) rs.getObject(15, Long.class) : null);
    }

    private static Instant instant(LocalDateTime utc) {
        return utc == null ? null : utc.toInstant(ZoneOffset.UTC);
    }

    /** DATETIME columns hold UTC wall time; bind as a zone-less value so no JVM zone shifts it. */
    public static LocalDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC).toLocalDateTime();
    }

    /**
     * A copy as its holder sees it.
     *
     * @param state          {@code ISSUED} (usable), {@code RESERVED} (held for an order at checkout), {@code USED},
     *                       {@code EXPIRED}
     * @param discountAmount a fixed discount's amount (0 for a percent discount)
     * @param expiresAt      when the copy stops being usable ({@code null}: never)
     * @param discountGiven  what the order that used it was given
     */
    public record HeldCoupon(long userCouponId, long couponId, String couponName, long discountAmount, Instant issuedAt,
            String state, String discountType, Integer discountPercent, Long maxDiscount, long minOrderAmount, Instant expiresAt,
            Instant usedAt, Long discountGiven) {
    }
}
