package io.couponrush.loadtest.integrity;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashSet;

/** Direct JDBC reads of the service's tables: the audit must not only trust the service's own audit. */
public final class CouponDatabase {

    private final String url;
    private final String user;
    private final String password;

    public CouponDatabase(String url, String user, String password) {
        // The harness only ships the MariaDB driver; it speaks MySQL too once the scheme says so.
        this.url = url.startsWith("jdbc:mysql:") ? "jdbc:mariadb:" + url.substring("jdbc:mysql:".length()) : url;
        this.user = user;
        this.password = password == null ? "" : password;
    }

    public String url() {
        return url;
    }

    /**
     * Waits until the coupon's remaining stock and rows have not moved for {@code still} ({@code limit} at most):
     * a request a generator gave up on may still be finishing in the service, and an audit reads a still coupon.
     *
     * @return whether it stood still within the limit
     */
    public boolean awaitStill(long couponId, java.time.Duration still, java.time.Duration limit)
            throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        var last = remainingAndRows(couponId);
        long stillSince = System.nanoTime();
        while (System.nanoTime() - stillSince < still.toNanos()) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(200); // another process's writes: nothing to wait on but time between two looks
            var now = remainingAndRows(couponId);
            if (!java.util.Arrays.equals(now, last)) {
                last = now;
                stillSince = System.nanoTime();
            }
        }
        return true;
    }

    /** Remaining stock and row count only: cheap enough to poll while waiting for in-flight work to land. */
    public long[] remainingAndRows(long couponId) throws SQLException {
        try (var connection = connect();
             var statement = connection.prepareStatement("""
                     SELECT c.remaining, (SELECT COUNT(*) FROM user_coupons uc WHERE uc.coupon_id = c.id)
                     FROM coupons c WHERE c.id = ?""")) {
            statement.setLong(1, couponId);
            try (var result = statement.executeQuery()) {
                if (!result.next()) {
                    throw new SQLException("coupon " + couponId + " not found");
                }
                return new long[] {result.getLong(1), result.getLong(2)};
            }
        }
    }

    public DatabaseFacts read(long couponId) throws SQLException {
        try (var connection = connect()) {
            // One snapshot for all reads, so the numbers describe the same moment.
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setAutoCommit(false);
            try {
                long total;
                long remaining;
                int limit;
                try (var statement = connection.prepareStatement(
                        "SELECT total_quantity, remaining, per_user_limit FROM coupons WHERE id = ?")) {
                    statement.setLong(1, couponId);
                    try (var result = statement.executeQuery()) {
                        if (!result.next()) {
                            throw new SQLException("coupon " + couponId + " not found");
                        }
                        total = result.getLong(1);
                        remaining = result.getLong(2);
                        limit = result.getInt(3);
                    }
                }
                var ids = new HashSet<Long>();
                try (var statement = connection.prepareStatement("SELECT id FROM user_coupons WHERE coupon_id = ?")) {
                    statement.setLong(1, couponId);
                    statement.setFetchSize(10_000);
                    try (var result = statement.executeQuery()) {
                        while (result.next()) {
                            ids.add(result.getLong(1));
                        }
                    }
                }
                long distinctUsers = 0;
                long overLimit = 0;
                long maxCopies = 0;
                try (var statement = connection.prepareStatement("""
                        SELECT COUNT(*) AS copies FROM user_coupons WHERE coupon_id = ? GROUP BY user_id""")) {
                    statement.setLong(1, couponId);
                    try (var result = statement.executeQuery()) {
                        while (result.next()) {
                            long copies = result.getLong(1);
                            distinctUsers++;
                            maxCopies = Math.max(maxCopies, copies);
                            if (limit > 0 && copies > limit) {
                                overLimit++;
                            }
                        }
                    }
                }
                return new DatabaseFacts(couponId, total, remaining, limit, ids.size(), distinctUsers, overLimit,
                        maxCopies, ids);
            } finally {
                connection.rollback();
            }
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }
}
