package io.couponrush.audit;

import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

@Service
public class CouponAudit {

    private final JdbcClient jdbc;

    CouponAudit(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<AuditReport> audit(long couponId) {
        return jdbc.sql("SELECT total_quantity, remaining, per_user_limit FROM coupons WHERE id = ?")
                .param(couponId)
                .query((rs, n) -> report(couponId, rs.getInt(1), rs.getInt(2), rs.getInt(3)))
                .optional();
    }

    private AuditReport report(long couponId, int total, int remaining, int perUserLimit) {
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
        return new AuditReport(couponId, total, remaining, counts[0], counts[1], overLimit, consistent);
    }
}
