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
 *
 * <p>Memory: slots come in chunks made as refusals arrive and dropped once written, and a coupon
 * nobody was refused for during {@link #IDLE_PASSES} passes is forgotten once all its refusals are
 * written (were it refused again later, up to {@link #PER_COUPON} more would be recorded). So the
 * ledger holds what is not written yet, not a slot array for every coupon ever refused.
 */
@Component
public class RefusalLedger extends Periodic {

    private static final Logger log = LoggerFactory.getLogger(RefusalLedger.class);

    static final int PER_COUPON = 5_000;
    private static final int CHUNK = 250;
    /** Passes (one a second) without a refusal after which a fully written coupon is forgotten. */
    static final int IDLE_PASSES = 60;

    private final JdbcTemplate jdbc;
    private final Map<Long, Record> records = new ConcurrentHashMap<>();
    private long passes; // the writer thread's

    RefusalLedger(JdbcTemplate jdbc) {
        super("refusal-ledger", java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1), log);
        this.jdbc = jdbc;
    }

    /** One coupon's first refusals: slots are claimed by an index, written, then flushed in order. */
    private static final class Record {
        final java.util.concurrent.atomic.AtomicReferenceArray<long[]> chunks =
                new java.util.concurrent.atomic.AtomicReferenceArray<>(PER_COUPON / CHUNK);
        final AtomicInteger claimed = new AtomicInteger();
        int flushed; // only the writer thread touches it
        int claimedAtLastPass; // the writer's
        long quietSince; // the writer's: the pass since which nothing was claimed

        void put(int slot, long micros) {
            int index = slot / CHUNK;
            var chunk = chunks.get(index);
            if (chunk == null) {
                chunks.compareAndSet(index, null, new long[CHUNK]);
                chunk = chunks.get(index);
            }
            chunk[slot % CHUNK] = micros;
        }

        /** The slot's value, 0 while claimed but not written yet. */
        long get(int slot) {
            var chunk = chunks.get(slot / CHUNK);
            return chunk == null ? 0 : chunk[slot % CHUNK];
        }
    }

    void soldOut(long couponId, Instant arrivedAt) {
        if (arrivedAt == null) {
            return;
        }
        var record = records.computeIfAbsent(couponId, id -> new Record());
        int slot = record.claimed.getAndIncrement();
        if (slot < PER_COUPON) {
            record.put(slot, Math.max(1, java.time.temporal.ChronoUnit.MICROS.between(Instant.EPOCH, arrivedAt)));
        }
    }

    /** Writes what was recorded since the last flush; answers how many rows. */
    public synchronized int flush() {
        int written = 0;
        passes++;
        for (var entry : records.entrySet()) {
            var record = entry.getValue();
            int claimed = record.claimed.get();
            int upTo = Math.min(claimed, PER_COUPON);
            var rows = new ArrayList<Object[]>();
            int i = record.flushed;
            // a slot claimed but not written yet (0) ends this flush; the next one picks it up
            for (; i < upTo && record.get(i) != 0; i++) {
                rows.add(new Object[] {entry.getKey(),
                        UserCouponStore.utc(Instant.EPOCH.plus(record.get(i), java.time.temporal.ChronoUnit.MICROS))});
            }
            if (!rows.isEmpty()) {
                jdbc.batchUpdate("INSERT INTO issue_refusals (coupon_id, arrived_at) VALUES (?, ?)", rows);
                // whole chunks written are not needed any more: every slot in them was claimed and written
                for (int chunk = record.flushed / CHUNK; chunk < i / CHUNK; chunk++) {
                    record.chunks.set(chunk, null);
                }
                record.flushed = i;
                written += rows.size();
            }
            if (claimed != record.claimedAtLastPass) {
                record.claimedAtLastPass = claimed;
                record.quietSince = passes;
            } else if (passes - record.quietSince >= IDLE_PASSES && record.flushed == upTo) {
                // idle and written: forgotten. A refusal that found the record just before the removal
                // claims a slot in it: then it goes back (unless a new record was made in that instant).
                records.remove(entry.getKey(), record);
                if (record.claimed.get() != claimed) {
                    records.putIfAbsent(entry.getKey(), record);
                }
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
