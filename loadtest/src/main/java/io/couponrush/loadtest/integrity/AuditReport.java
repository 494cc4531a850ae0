package io.couponrush.loadtest.integrity;

/** The service's own answer from {@code GET /api/v1/admin/coupons/{id}/audit}. */
public record AuditReport(
        long couponId,
        long total,
        long remaining,
        long issuedRows,
        long distinctUsers,
        long usersOverLimit,
        boolean consistent) {
}
