package io.couponrush.loadtest.redemption;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/** The coupon's copies as the database has them (plain SQL, not through the service). */
final class Rows {

    private Rows() {
    }

    /** Per copy of the coupon, the order it is used by, or {@code null} when it is not used. */
    static Map<Long, String> usedBy(String jdbcUrl, long couponId) throws SQLException {
        try (var connection = DriverManager.getConnection(jdbcUrl, "root", "");
             var statement = connection.prepareStatement(
                     "SELECT id, order_id, used_at IS NOT NULL FROM user_coupons WHERE coupon_id = ?")) {
            statement.setLong(1, couponId);
            statement.setFetchSize(10_000);
            var usedBy = new HashMap<Long, String>();
            try (var result = statement.executeQuery()) {
                while (result.next()) {
                    usedBy.put(result.getLong(1), result.getBoolean(3) ? result.getString(2) : null);
                }
            }
            return usedBy;
        }
    }
}
