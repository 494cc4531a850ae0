package io.couponrush.audit;

/**
 * @param consistent {@code remaining >= 0}, {@code remaining + issuedRows == total} (I1) and no user
 *                   over the per-user limit (I2), from the database alone
 * @param gate       for {@code redis-gate} coupons, how the Redis gate compares with the database;
 *                   absent for other strategies, and while Redis cannot be reached
 */
public record AuditReport(long couponId, int total, int remaining, long issuedRows, long distinctUsers,
        long usersOverLimit, boolean consistent, Gate gate) {

    /**
     * @param loaded      whether Redis holds the gate (it is built from the database on first use)
     * @param stock       stock the gate will still admit
     * @param pending     reservations admitted and not settled yet (settled by their owner after the
     *                    commit, or by a sweeper once their lease is over)
     * @param holders     users the gate knows as holders of committed copies
     * @param soldOut     the gate saw the database reach zero and answers sold out itself
     * @param inSync      stock + pending equals what the database has left and the gate knows every
     *                    holder; expected once reservations have settled (a gate that is not loaded
     *                    is in sync by definition: it will be built from the database)
     */
    public record Gate(boolean loaded, long stock, long pending, long holders, boolean soldOut, boolean inSync) {
    }
}
