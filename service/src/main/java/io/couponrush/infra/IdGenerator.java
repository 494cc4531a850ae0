package io.couponrush.infra;

import java.time.Clock;

/**
 * Time-ordered 64-bit ids (41 bits of milliseconds since 2025-01-01, 10 bits of node, 12 bits of
 * sequence), made in the application so a batch of grants can be written in one multi-row INSERT
 * with every id known up front, with no {@code RETURNING} (MySQL has none) and no reliance on
 * auto-increment ranges. Instances sharing a database need distinct node ids: configured, or leased
 * ({@link NodeIds}). A collision would still be caught by the primary key, as an error, never as a
 * lost grant.
 */
public class IdGenerator {

    /** Where the node id comes from; asked for every id (cheap: a volatile read while a lease is valid). */
    @FunctionalInterface
    public interface NodeIdSource {
        int current();
    }

    static final int NODE_BITS = 10;
    private static final long EPOCH_MS = 1_735_689_600_000L; // 2025-01-01T00:00:00Z
    private static final int SEQUENCE_BITS = 12;
    private static final long MAX_SEQUENCE = (1L << SEQUENCE_BITS) - 1;

    private final Clock clock;
    private final NodeIdSource nodes;
    private long lastMs = -1;
    private long sequence;

    public IdGenerator(Clock clock, NodeIdSource nodes) {
        this.clock = clock;
        this.nodes = nodes;
    }

    /** A fixed node id (tests, tools). */
    IdGenerator(Clock clock, int node) {
        this(clock, () -> node);
        if (node < 0 || node >= (1 << NODE_BITS)) {
            throw new IllegalArgumentException("node id must be 0-" + ((1 << NODE_BITS) - 1));
        }
    }

    public synchronized long next() {
        long node = nodes.current();
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

    /** The node id bits of an id this class made. */
    public static int nodeOf(long id) {
        return (int) ((id >>> SEQUENCE_BITS) & ((1 << NODE_BITS) - 1));
    }
}
