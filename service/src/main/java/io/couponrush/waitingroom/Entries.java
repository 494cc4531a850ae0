package io.couponrush.waitingroom;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The lines as the database keeps them (V11 {@code queue_entries}): a join is written here before it is
 * answered, an admission after it is made, so Redis can lose a line and get it back whole.
 */
@Component
class Entries {

    private final JdbcClient jdbc;
    private final JoinWrites joins;

    Entries(JdbcClient jdbc, JoinWrites joins) {
        this.jdbc = jdbc;
        this.joins = joins;
    }

    /**
     * The person's entry, written once (a second join keeps the first one's arrival and score), committed
     * before this returns, together with the other joins of the moment ({@link JoinWrites}).
     */
    void join(long couponId, long userId, Instant joinedAt, double score) {
        joins.write(couponId, userId, joinedAt, score);
    }

    record Entry(long userId, Instant joinedAt, double score, Instant admittedAt) {
    }

    Optional<Entry> entry(long couponId, long userId) {
        return jdbc.sql("SELECT user_id, joined_at, score, admitted_at FROM queue_entries WHERE coupon_id = ? AND user_id = ?")
                .params(couponId, userId).query(Entries::entry).optional();
    }

    List<Entry> all(long couponId) {
        return jdbc.sql("SELECT user_id, joined_at, score, admitted_at FROM queue_entries WHERE coupon_id = ?")
                .param(couponId).query(Entries::entry).list();
    }

    /** Those who joined before the instant (a raffle's entrants: before the window opened). */
    List<Long> joinedBefore(long couponId, Instant instant) {
        return jdbc.sql("SELECT user_id FROM queue_entries WHERE coupon_id = ? AND joined_at < ? ORDER BY user_id")
                .params(couponId, utc(instant)).query(Long.class).list();
    }

    /** The admitted, in the order they were admitted (and by their place among those admitted at once). */
    List<Long> admittedInOrder(long couponId) {
        return jdbc.sql("SELECT user_id FROM queue_entries WHERE coupon_id = ? AND admitted_at IS NOT NULL "
                        + "ORDER BY admitted_at, score, user_id")
                .param(couponId).query(Long.class).list();
    }

    /** How many joined the line, and how many of them the database knows were admitted. */
    record Counts(long joined, long admitted) {
    }

    Counts counts(long couponId) {
        return jdbc.sql("SELECT COUNT(*), COUNT(admitted_at) FROM queue_entries WHERE coupon_id = ?").param(couponId)
                .query((rs, n) -> new Counts(rs.getLong(1), rs.getLong(2))).single();
    }

    void admitted(long couponId, Collection<Long> userIds, Instant at) {
        if (userIds.isEmpty()) {
            return;
        }
        jdbc.sql("UPDATE queue_entries SET admitted_at = :at WHERE coupon_id = :coupon AND user_id IN (:users) AND admitted_at IS NULL")
                .param("at", utc(at)).param("coupon", couponId).param("users", userIds).update();
    }

    /** Everyone who holds a copy of the coupon, with when they got their first (as many rows as copies granted, at most). */
    Map<Long, Instant> firstCopies(long couponId) {
        var first = new HashMap<Long, Instant>();
        jdbc.sql("SELECT user_id, MIN(issued_at) FROM user_coupons WHERE coupon_id = ? GROUP BY user_id").param(couponId)
                .query(rs -> {
                    first.put(rs.getLong(1), rs.getObject(2, LocalDateTime.class).toInstant(ZoneOffset.UTC));
                });
        return first;
    }

    private static Entry entry(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        var admitted = rs.getObject(4, LocalDateTime.class);
        return new Entry(rs.getLong(1), rs.getObject(2, LocalDateTime.class).toInstant(ZoneOffset.UTC), rs.getDouble(3),
                admitted == null ? null : admitted.toInstant(ZoneOffset.UTC));
    }

    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
