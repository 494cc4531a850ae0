package io.couponrush.audit;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import io.couponrush.coupon.Strategy;
import io.couponrush.issuance.strategy.CouponGate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.stereotype.Service;

@Service
public class CouponAudit {

    private final JdbcClient jdbc;
    private final CouponGate gate;
    private final TransactionTemplate snapshot;
    private final java.time.Clock clock;

    CouponAudit(JdbcClient jdbc, CouponGate gate, PlatformTransactionManager transactions, java.time.Clock clock) {
        this.jdbc = jdbc;
        this.gate = gate;
        this.clock = clock;
        // All counts from one consistent snapshot, so a coupon under live traffic audits as it was
        // at one instant, not as a mix of before and after a commit.
        this.snapshot = new TransactionTemplate(transactions);
        this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        this.snapshot.setReadOnly(true);
    }

    public Optional<AuditReport> audit(long couponId) {
        return snapshot.execute(tx -> read(couponId));
    }

    private Optional<AuditReport> read(long couponId) {
        return jdbc.sql("SELECT total_quantity, remaining, per_user_limit, strategy FROM coupons WHERE id = ?")
                .param(couponId)
                .query((rs, n) -> report(couponId, rs.getInt(1), rs.getInt(2), rs.getInt(3),
                        Strategy.REDIS_GATE.id().equals(rs.getString(4))))
                .optional();
    }

    private AuditReport report(long couponId, int total, int remaining, int perUserLimit, boolean gated) {
        var counts = jdbc.sql("SELECT COUNT(*), COUNT(DISTINCT user_id) FROM user_coupons WHERE coupon_id = ?")
                .param(couponId)
                .query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2)})
                .single();
        long overLimit = perUserLimit == 0 ? 0 : jdbc.sql("""
                SELECT COUNT(*) FROM (
                    SELECT user_id FROM user_coupons WHERE coupon_id = ?
                    GROUP BY user_id HAVING COUNT(*) > ?
                ) over_limit
                """)
                .params(couponId, perUserLimit)
                .query(Long.class)
                .single();
        boolean consistent = remaining >= 0 && remaining + counts[0] == total && overLimit == 0;
        return new AuditReport(couponId, total, remaining, counts[0], counts[1], overLimit, consistent,
                gated ? reconcile(couponId, remaining, perUserLimit, counts[1]) : null, arrivalOrder(couponId),
                books(couponId, counts[0]));
    }

    /**
     * Each state by its own condition, and the copies checked against their history: a copy whose uses outnumber
     * its restorations by more than one at any point of its events was spent by two orders, and a copy whose row
     * says used (or not) while its last event says otherwise was changed without its event.
     */
    private AuditReport.Books books(long couponId, long issuedRows) {
        var now = LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        var reserved = "(uc.used_at IS NULL AND uc.order_id IS NOT NULL AND COALESCE(uc.hold_until > :now, FALSE))";
        var expired = "(COALESCE(c.valid_until <= :now, FALSE) OR COALESCE(uc.issued_at + INTERVAL c.valid_days DAY <= :now, FALSE))";
        var states = jdbc.sql("SELECT COALESCE(SUM(uc.used_at IS NULL AND NOT " + reserved + " AND NOT " + expired + "), 0), "
                        + "COALESCE(SUM(" + reserved + "), 0), COALESCE(SUM(uc.used_at IS NOT NULL), 0), "
                        + "COALESCE(SUM(uc.used_at IS NULL AND NOT " + reserved + " AND " + expired + "), 0) "
                        + "FROM user_coupons uc JOIN coupons c ON c.id = uc.coupon_id WHERE uc.coupon_id = :coupon")
                .param("now", now).param("coupon", couponId)
                .query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)})
                .single();
        long restored = jdbc.sql("""
                SELECT COUNT(*) FROM redemption_events e JOIN user_coupons uc ON uc.id = e.user_coupon_id
                WHERE uc.coupon_id = ? AND e.event = 'RESTORED'""").param(couponId).query(Long.class).single();
        // window functions: MySQL 8 and MariaDB 10.2+
        long usedTwice = jdbc.sql("""
                SELECT COUNT(DISTINCT copy) FROM (
                    SELECT e.user_coupon_id AS copy,
                           SUM(CASE e.event WHEN 'USED' THEN 1 WHEN 'RESTORED' THEN -1 ELSE 0 END)
                               OVER (PARTITION BY e.user_coupon_id ORDER BY e.id) AS in_use
                    FROM redemption_events e JOIN user_coupons uc ON uc.id = e.user_coupon_id
                    WHERE uc.coupon_id = ?
                ) history WHERE in_use > 1""").param(couponId).query(Long.class).single();
        long disagreeing = jdbc.sql("""
                SELECT COUNT(*) FROM user_coupons uc
                JOIN (SELECT e.user_coupon_id AS copy, e.event,
                             ROW_NUMBER() OVER (PARTITION BY e.user_coupon_id ORDER BY e.id DESC) AS latest
                      FROM redemption_events e JOIN user_coupons u ON u.id = e.user_coupon_id WHERE u.coupon_id = ?) last
                  ON last.copy = uc.id AND last.latest = 1
                WHERE (uc.used_at IS NOT NULL) <> (last.event = 'USED')""").param(couponId).query(Long.class).single();
        boolean balanced = states[0] + states[1] + states[2] + states[3] == issuedRows && usedTwice == 0 && disagreeing == 0;
        return new AuditReport.Books(states[0], states[1], states[2], states[3], restored, usedTwice, disagreeing, balanced);
    }

    private AuditReport.ArrivalOrder arrivalOrder(long couponId) {
        record Span(long count, LocalDateTime edge) {
        }
        var grants = jdbc.sql("SELECT COUNT(requested_at), MAX(requested_at) FROM user_coupons WHERE coupon_id = ?")
                .param(couponId).query((rs, n) -> new Span(rs.getLong(1), rs.getObject(2, LocalDateTime.class))).single();
        var refusals = jdbc.sql("SELECT COUNT(*), MIN(arrived_at) FROM issue_refusals WHERE coupon_id = ?")
                .param(couponId).query((rs, n) -> new Span(rs.getLong(1), rs.getObject(2, LocalDateTime.class))).single();
        long late = 0;
        long early = 0;
        long lagMillis = 0;
        if (grants.edge() != null && refusals.edge() != null) {
            late = jdbc.sql("SELECT COUNT(*) FROM user_coupons WHERE coupon_id = ? AND requested_at > ?")
                    .params(couponId, refusals.edge()).query(Long.class).single();
            early = jdbc.sql("SELECT COUNT(*) FROM issue_refusals WHERE coupon_id = ? AND arrived_at < ?")
                    .params(couponId, grants.edge()).query(Long.class).single();
            lagMillis = Math.max(0, Duration.between(refusals.edge(), grants.edge()).toMillis());
        }
        return new AuditReport.ArrivalOrder(grants.count(), refusals.count(), instant(refusals.edge()),
                instant(grants.edge()), late, grants.count() == 0 ? 0 : Math.round(late * 10_000.0 / grants.count()) / 100.0,
                lagMillis, early);
    }

    private static Instant instant(LocalDateTime utc) {
        return utc == null ? null : utc.toInstant(ZoneOffset.UTC);
    }

    private AuditReport.Gate reconcile(long couponId, int remaining, int perUserLimit, long distinctUsers) {
        CouponGate.GateState state;
        try {
            state = gate.inspect(couponId);
        } catch (org.springframework.dao.DataAccessException redisDown) {
            return null; // the database's numbers stand on their own; the gate cannot be compared now
        }
        // every copy the database has left is either admissible or reserved by a request in flight
        boolean inSync = !state.loaded()
                || state.stock() + state.pending() == remaining && state.holders() == distinctUsers;
        return new AuditReport.Gate(state.loaded(), state.stock(), state.pending(), state.holders(), state.soldOut(),
                inSync);
    }
}
