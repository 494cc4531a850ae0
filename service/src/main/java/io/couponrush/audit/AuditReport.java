package io.couponrush.audit;

/**
 * @param consistent {@code remaining >= 0}, {@code remaining + issuedRows == total} (I1) and no user
 *                   over the per-user limit (I2)
 */
public record AuditReport(long couponId, int total, int remaining, long issuedRows, long distinctUsers,
        long usersOverLimit, boolean consistent) {
}
