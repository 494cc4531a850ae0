package io.couponrush.audit;

/**
 * @param consistent {@code remaining >= 0}, {@code remaining + issuedRows == total} (I1) and no user
 *                   over the per-user limit (I2), from the database alone
 * @param gate       for {@code redis-gate} coupons, how the Redis gate compares with the database;
 *                   absent for other strategies, and while Redis cannot be reached
 */
public record AuditReport(long couponId, int total, int remaining, long issuedRows, long distinctUsers,
        long usersOverLimit, boolean consistent, Gate gate, ArrivalOrder arrivalOrder, Books books) {

    /**
     * Where the issued copies stand (I11), each state counted by its own condition at one instant:
     * {@code usable + reserved + used + expired == issuedRows} when every copy is in exactly one state.
     *
     * @param restored    used copies given back by their order (it was cancelled after payment), in all
     * @param usedTwice   copies whose events show them spent by two orders without being given back in between
     * @param disagreeing copies whose row says used (or not) while their last event says otherwise
     * @param balanced    the states add up to the issued rows, no copy was used twice, every row agrees with its history
     */
    public record Books(long usable, long reserved, long used, long expired, long restored, long usedTwice, long disagreeing,
            boolean balanced) {
    }

    /**
     * First come, first served, judged by when the server received each request (I9). Refusals are the
     * {@code COUPON_SOLD_OUT} answers each instance recorded (its first 5,000 per coupon, written within
     * about a second).
     *
     * @param grantsStamped             grants whose arrival is known
     * @param refusalsRecorded          sold-out answers recorded
     * @param firstRefusalArrivedAt     arrival of the earliest request told sold out
     * @param lastGrantArrivedAt        arrival of the latest request granted a copy
     * @param grantsAfterFirstRefusal   copies granted out of arrival order: to requests that arrived
     *                                  after one that was told sold out
     * @param outOfOrderPercent         those as a share of the stamped grants
     * @param latestGrantLagMillis      how long after the first refused request the last granted one arrived
     *                                  (0 when in order)
     * @param refusalsBeforeLastGrant   requests told sold out although they arrived before the last grant
     */
    public record ArrivalOrder(long grantsStamped, long refusalsRecorded, java.time.Instant firstRefusalArrivedAt,
            java.time.Instant lastGrantArrivedAt, long grantsAfterFirstRefusal, double outOfOrderPercent,
            long latestGrantLagMillis, long refusalsBeforeLastGrant) {
    }

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
