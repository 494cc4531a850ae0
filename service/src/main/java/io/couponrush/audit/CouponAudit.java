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

    CouponAudit(JdbcClient jdbc, CouponGate gate, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.gate = gate;
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
                gated ? reconcile(couponId, remaining, perUserLimit, counts[1]) : null, arrivalOrder(couponId));
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
