package io.couponrush.issuance;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.couponrush.infra.Periodic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * When the requests answered {@code COUPON_SOLD_OUT} arrived: the other half of auditing first come,
 * first served (the grants carry their own arrival). Only the first {@link #PER_COUPON} refusals of a
 * coupon on this instance are kept, the ones around the sell-out where order matters; recording one
 * is a slot claimed in an array, and a background writer moves them to {@code issue_refusals} once a
 * second, so the issue path never waits for the database because of it.
 */
@Component
public class RefusalLedger extends Periodic {

    private static final Logger log = LoggerFactory.getLogger(RefusalLedger.class);

    static final int PER_COUPON = 5_000;

    private final JdbcTemplate jdbc;
    private final Map<Long, Record> records = new ConcurrentHashMap<>();

    RefusalLedger(JdbcTemplate jdbc) {
        super("refusal-ledger", java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1), log);
        this.jdbc = jdbc;
    }

    /** One coupon's first refusals: slots are claimed by an index, written, then flushed in order. */
    private static final class Record {
        final long[] micros = new long[PER_COUPON];
        final AtomicInteger claimed = new AtomicInteger();
        int flushed; // only the writer thread touches it
    }

    void soldOut(long couponId, Instant arrivedAt) {
        if (arrivedAt == null) {
            return;
        }
        var record = records.computeIfAbsent(couponId, id -> new Record());
        int slot = record.claimed.getAndIncrement();
        if (slot < PER_COUPON) {
            record.micros[slot] = Math.max(1, java.time.temporal.ChronoUnit.MICROS.between(Instant.EPOCH, arrivedAt));
        }
    }

    /** Writes what was recorded since the last flush; answers how many rows. */
    public int flush() {
        int written = 0;
        for (var entry : records.entrySet()) {
            var record = entry.getValue();
            int upTo = Math.min(record.claimed.get(), PER_COUPON);
            var rows = new ArrayList<Object[]>();
            int i = record.flushed;
            // a slot claimed but not written yet (0) ends this flush; the next one picks it up
            for (; i < upTo && record.micros[i] != 0; i++) {
                rows.add(new Object[] {entry.getKey(),
                        UserCouponStore.utc(Instant.EPOCH.plus(record.micros[i], java.time.temporal.ChronoUnit.MICROS))});
            }
            if (!rows.isEmpty()) {
                jdbc.batchUpdate("INSERT INTO issue_refusals (coupon_id, arrived_at) VALUES (?, ?)", rows);
                record.flushed = i;
                written += rows.size();
            }
        }
        return written;
    }

    @Override
    protected void runOnce() {
        flush();
    }

    @Override
    protected void afterStop() {
        try {
            flush(); // what this instance saw outlives it when it stops cleanly
        } catch (RuntimeException e) {
            log.debug("Refusal ledger not written at shutdown: {}", e.getMessage());
        }
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1000; // stops before the DataSource goes
    }

    List<Long> couponsRecorded() {
        return List.copyOf(records.keySet());
    }
}
