package io.couponrush.audit;

/**
 * @param consistent {@code remaining >= 0}, {@code remaining + issuedRows == total} (I1) and no user
 *                   over the per-user limit (I2), from the database alone
 * @param gate       for {@code redis-gate} coupons, how the Redis gate compares with the database;
 *                   absent for other strategies
 */
public record AuditReport(long couponId, int total, int remaining, long issuedRows, long distinctUsers,
        long usersOverLimit, boolean consistent, Gate gate) {

    /**
     * @param loaded      whether Redis holds the gate (it is built from the database on first use)
     * @param stock       stock the gate will still admit
     * @param holders     users the gate knows as holders
     * @param inSync      the gate admits exactly what the database has left and knows every holder;
     *                    expected whenever no request is in flight (a gate that is not loaded is in
     *                    sync by definition: it will be built from the database)
     */
    public record Gate(boolean loaded, long stock, long holders, boolean inSync) {
    }
}
