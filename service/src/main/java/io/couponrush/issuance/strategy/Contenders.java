package io.couponrush.issuance.strategy;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Who else is waiting for a coupon's last copies: one row per coupon and instance in
 * {@code issue_contenders}, holding the arrival of that instance's earliest undecided request and
 * how many it holds (see V4). Rows are leases, renewed by every batch of the instance that owns
 * them and ignored once they expire, so an instance that crashed or froze holds nobody up for long.
 *
 * <p>The instance is identified by a random number drawn at start, not by the node id, so a
 * misconfigured node id cannot make two instances mistake each other's rows for their own.
 */
@Component
class Contenders {

    private static final String RIVAL = """
            SELECT MIN(earliest_arrival) AS earliest, COALESCE(SUM(pending), 0) AS pending FROM issue_contenders
            WHERE coupon_id = ? AND instance_id <> ? AND expires_at > ?
            """;
    private static final String PUBLISH = """
            INSERT INTO issue_contenders (coupon_id, instance_id, earliest_arrival, pending, expires_at)
            VALUES (?, ?, ?, ?, ?)
            ON DUPLICATE KEY UPDATE earliest_arrival = VALUES(earliest_arrival), pending = VALUES(pending),
                                    expires_at = VALUES(expires_at)
            """;
    private static final String WITHDRAW = "DELETE FROM issue_contenders WHERE coupon_id = ? AND instance_id = ?";
    private static final String FORGET_EXPIRED = "DELETE FROM issue_contenders WHERE coupon_id = ? AND expires_at < ?";

    /** Undecided requests: the earliest arrival (µs since the epoch) and how many. */
    record Backlog(long earliest, int count) {

        static final Backlog NONE = new Backlog(Long.MAX_VALUE, 0);

        Backlog plus(long arrival) {
            return new Backlog(Math.min(earliest, arrival), count + 1);
        }

        boolean isEmpty() {
            return count == 0;
        }

        /** Both backlogs taken together. */
        Backlog and(Backlog other) {
            return new Backlog(Math.min(earliest, other.earliest), count + other.count);
        }
    }

    private final JdbcClient jdbc;
    private final Clock clock;
    private final BatchSettings settings;
    private final long self = ThreadLocalRandom.current().nextLong();

    Contenders(JdbcClient jdbc, Clock clock, BatchSettings settings) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.settings = settings;
    }

    /** What every other live instance holds undecided for the coupon, taken together. */
    Backlog rivals(long couponId) {
        return jdbc.sql(RIVAL).params(couponId, self, clock.millis())
                .query((rs, n) -> {
                    long earliest = rs.getLong("earliest");
                    return rs.wasNull() ? Backlog.NONE : new Backlog(earliest, rs.getInt("pending"));
                }).single();
    }

    /** Says what this instance holds undecided (in the caller's transaction, if any); nothing withdraws. */
    void publish(long couponId, Backlog backlog) {
        if (backlog.isEmpty()) {
            jdbc.sql(WITHDRAW).params(couponId, self).update();
            return;
        }
        jdbc.sql(PUBLISH).params(couponId, self, backlog.earliest(), backlog.count(),
                clock.millis() + settings.contestLease().toMillis()).update();
    }

    /** Withdraws this instance's row, and the expired ones of instances that never came back. */
    void withdraw(long couponId) {
        jdbc.sql(WITHDRAW).params(couponId, self).update();
        jdbc.sql(FORGET_EXPIRED).params(couponId, clock.millis()).update();
    }

    /** Microseconds since the epoch: the unit arrivals are compared in; no stamp counts as the latest. */
    static long micros(Instant arrivedAt) {
        return arrivedAt == null ? Long.MAX_VALUE : arrivedAt.getEpochSecond() * 1_000_000L + arrivedAt.getNano() / 1_000;
    }
}
