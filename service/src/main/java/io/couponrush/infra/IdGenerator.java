package io.couponrush.infra;

import java.time.Clock;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Time-ordered 64-bit ids (41 bits of milliseconds since 2025-01-01, 10 bits of node, 12 bits of
 * sequence), made in the application so a batch of grants can be written in one multi-row INSERT
 * with every id known up front, with no {@code RETURNING} (MySQL has none) and no reliance on
 * auto-increment ranges. Instances must run with distinct node ids; a collision would still be
 * caught by the primary key, as an error, never as a lost grant.
 */
@Component
public class IdGenerator {

    private static final long EPOCH_MS = 1_735_689_600_000L; // 2025-01-01T00:00:00Z
    private static final int NODE_BITS = 10;
    private static final int SEQUENCE_BITS = 12;
    private static final long MAX_SEQUENCE = (1L << SEQUENCE_BITS) - 1;

    private final Clock clock;
    private final long node;
    private long lastMs = -1;
    private long sequence;

    IdGenerator(Clock clock, @Value("${couponrush.node-id:-1}") int nodeId,
            @Value("${couponrush.embedded.active:false}") boolean embeddedRun) {
        this.clock = clock;
        if (nodeId < 0 && !embeddedRun) {
            // A random default would let two instances share a node id silently, some of the time.
            throw new IllegalStateException("couponrush.node-id (COUPONRUSH_NODE_ID) must be set, 0-1023, "
                    + "distinct for every instance that shares the database");
        }
        this.node = nodeId >= 0 ? nodeId : 0; // the embedded run is one instance (tests pin theirs)
        if (node >= (1 << NODE_BITS)) {
            throw new IllegalArgumentException("couponrush.node-id must be below " + (1 << NODE_BITS));
        }
    }

    public synchronized long next() {
        long now = Math.max(clock.millis(), lastMs); // never go back, even if the wall clock does
        if (now == lastMs) {
            sequence = (sequence + 1) & MAX_SEQUENCE;
            if (sequence == 0) {
                now = lastMs + 1; // borrow the next millisecond rather than spin
            }
        } else {
            sequence = 0;
        }
        lastMs = now;
        return ((now - EPOCH_MS) << (NODE_BITS + SEQUENCE_BITS)) | (node << SEQUENCE_BITS) | sequence;
    }
}
