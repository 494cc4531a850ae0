package io.couponrush.infra;

import java.util.HashSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * This instance's node id: the configured one ({@code couponrush.node-id}), or one leased from
 * {@code node_leases} (V7), so identical replicas started from one template never mint the same ids.
 *
 * <p>Why it is safe: a lease is renewed every {@code renew-every}, and the instance only mints while
 * its own monotonic clock says the lease has at least {@code renew-every} left, measured from the
 * moment it asked for the last renewal (before the database stamped the new expiry). So an instance
 * that was frozen past its lease stops minting before anyone can take its node id over, and asks the
 * database again before it mints another id: renewed if nobody took it, a different node id if someone
 * did. Ids carry the time, so the new holder's ids (minted after the expiry) come after the old one's.
 * A configured node id is recorded too (leasing instances skip it) and always wins; a leasing instance
 * that held it learns so at its next renewal.
 */
public final class NodeIds extends Periodic implements IdGenerator.NodeIdSource {

    private static final Logger log = LoggerFactory.getLogger(NodeIds.class);
    static final int MAX_NODES = 1 << IdGenerator.NODE_BITS;

    private final JdbcClient jdbc;
    private final NodeLeaseSettings settings;
    private final int configured;
    private final LongSupplier ticker;
    private final long holder = ThreadLocalRandom.current().nextLong();
    private volatile int node = -1;
    private volatile long validUntil;

    /**
     * @param configured the configured node id, or -1 to lease one
     * @param ticker     monotonic nanoseconds ({@code System::nanoTime}; tests move their own)
     */
    public NodeIds(JdbcClient jdbc, NodeLeaseSettings settings, int configured, LongSupplier ticker) {
        super("node-lease", java.time.Duration.ZERO, settings.renewEvery(), log);
        if (configured >= MAX_NODES) {
            throw new IllegalArgumentException("couponrush.node-id must be below " + MAX_NODES);
        }
        this.jdbc = jdbc;
        this.settings = settings;
        this.configured = configured;
        this.ticker = ticker;
    }

    @Override
    public int current() {
        if (configured >= 0) {
            return configured;
        }
        int leased = node;
        if (leased >= 0 && ticker.getAsLong() - validUntil < 0) {
            return leased;
        }
        synchronized (this) {
            if (node < 0 || ticker.getAsLong() - validUntil >= 0) {
                renewOrLease();
            }
            return node;
        }
    }

    @Override
    protected void runOnce() {
        if (configured >= 0) {
            record(configured);
            return;
        }
        synchronized (this) {
            renewOrLease();
        }
    }

    @Override
    protected void afterStop() {
        int leased = configured >= 0 ? configured : node;
        if (leased >= 0) {
            try {
                jdbc.sql("DELETE FROM node_leases WHERE node_id = ? AND holder = ?").params(leased, holder).update();
            } catch (RuntimeException e) {
                log.debug("Could not release node id {} (it expires by itself): {}", leased, e.getMessage());
            }
        }
        node = -1;
    }

    private void renewOrLease() {
        long asked = ticker.getAsLong();
        if (node >= 0) {
            int renewed = jdbc.sql("UPDATE node_leases SET expires_at = NOW(6) + INTERVAL ? MICROSECOND WHERE node_id = ? AND holder = ?")
                    .params(micros(), node, holder).update();
            if (renewed == 1) {
                validUntil = asked + settings.duration().minus(settings.renewEvery()).toNanos();
                return;
            }
            log.warn("Node id {} was taken over (this instance did not renew it in time); leasing another", node);
            node = -1;
        }
        var taken = new HashSet<>(jdbc.sql("SELECT node_id FROM node_leases WHERE expires_at >= NOW(6)").query(Integer.class).list());
        int start = ThreadLocalRandom.current().nextInt(MAX_NODES);
        for (int i = 0; i < MAX_NODES; i++) {
            int candidate = (start + i) % MAX_NODES;
            if (!taken.contains(candidate) && tryLease(candidate)) {
                node = candidate;
                validUntil = asked + settings.duration().minus(settings.renewEvery()).toNanos();
                log.info("Leased node id {} (couponrush.node-id not set)", candidate);
                return;
            }
        }
        throw new IllegalStateException("no free node id: all " + MAX_NODES + " are leased");
    }

    private boolean tryLease(int candidate) {
        int inserted = jdbc.sql("INSERT IGNORE INTO node_leases (node_id, holder, expires_at) VALUES (?, ?, NOW(6) + INTERVAL ? MICROSECOND)")
                .params(candidate, holder, micros()).update();
        if (inserted == 1) {
            return true;
        }
        return jdbc.sql("UPDATE node_leases SET holder = ?, expires_at = NOW(6) + INTERVAL ? MICROSECOND WHERE node_id = ? AND expires_at < NOW(6)")
                .params(holder, micros(), candidate).update() == 1;
    }

    private void record(int id) {
        jdbc.sql("""
                INSERT INTO node_leases (node_id, holder, expires_at) VALUES (?, ?, NOW(6) + INTERVAL ? MICROSECOND)
                ON DUPLICATE KEY UPDATE holder = VALUES(holder), expires_at = VALUES(expires_at)
                """).params(id, holder, micros()).update();
    }

    private long micros() {
        return settings.duration().toNanos() / 1_000;
    }
}
