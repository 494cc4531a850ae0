package io.couponrush.loadtest.faults;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;

/** Direct JDBC reads of the service's tables: the verdict trusts the rows, not the service's word. */
final class CouponLedger {

    private final String url;

    CouponLedger(String jdbcUrl) {
        // Bounded: the database may be the thing that was just killed.
        this.url = jdbcUrl + "?connectTimeout=2000&socketTimeout=10000";
    }

    /** Remaining stock and row count: cheap enough to poll while in-flight work lands. */
    List<Long> remainingAndRows(long couponId) throws SQLException {
        try (var connection = connect();
             var statement = connection.prepareStatement("""
                     SELECT c.remaining, (SELECT COUNT(*) FROM user_coupons uc WHERE uc.coupon_id = c.id)
                     FROM coupons c WHERE c.id = ?""")) {
            statement.setLong(1, couponId);
            try (var result = statement.executeQuery()) {
                if (!result.next()) {
                    throw new SQLException("coupon " + couponId + " not found");
                }
                return List.of(result.getLong(1), result.getLong(2));
            }
        }
    }

    Holdings holdings(long couponId) throws SQLException {
        try (var connection = connect()) {
            // One snapshot: the stock and the rows describe the same moment.
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setAutoCommit(false);
            try {
                long total;
                long remaining;
                try (var statement = connection.prepareStatement(
                        "SELECT total_quantity, remaining FROM coupons WHERE id = ?")) {
                    statement.setLong(1, couponId);
                    try (var result = statement.executeQuery()) {
                        if (!result.next()) {
                            throw new SQLException("coupon " + couponId + " not found");
                        }
                        total = result.getLong(1);
                        remaining = result.getLong(2);
                    }
                }
                var owners = new HashMap<Long, Long>();
                try (var statement = connection.prepareStatement(
                        "SELECT id, user_id FROM user_coupons WHERE coupon_id = ?")) {
                    statement.setLong(1, couponId);
                    try (var result = statement.executeQuery()) {
                        while (result.next()) {
                            owners.put(result.getLong(1), result.getLong(2));
                        }
                    }
                }
                return new Holdings(couponId, total, remaining, owners);
            } finally {
                connection.rollback();
            }
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url, "root", "");
    }
}
