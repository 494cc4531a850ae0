package io.couponrush.live;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One event of a coupon's live feed. Counts are this instance's answers (every instance counts its
 * own); {@code remaining} and the audit come from the database, so they are the same on every instance.
 *
 * @param sequence        the feed's event number; every watcher of a coupon gets the same numbers,
 *                        because one sampler serves them all
 * @param at              when the sample was taken (service clock)
 * @param remaining       copies left, as committed in the database ({@code coupons.remaining}), read for
 *                        this event; the last known value (with a warning) while the database does not answer
 * @param remainingSource always {@code "database"}: the source of truth, not a strategy's own belief
 * @param countingSince   since when this instance counts the coupon's answers ({@code totals} start there)
 * @param perSecond       answers per second since the previous event, by outcome code (codes seen so far)
 * @param totals          answers since {@code countingSince}, by outcome code (codes seen so far)
 * @param latency         percentiles of the time the issue path took, over the last {@code windowSeconds}
 * @param fleet           the same three summed over every instance (each writes its counts once a second:
 *                        {@link FleetCounts}); this instance's are counted as of this event
 * @param batch           group-commit batches ({@code batched}, {@code redis-gate}); see {@link Batch}
 * @param gate            the Redis gate ({@code redis-gate}): stock and pending read for this event,
 *                        {@code inSync} from the latest audit
 * @param audit           the latest audit (I1–I2), refreshed every {@code couponrush.live.audit-every} events
 * @param watchers        streams watching this coupon on this instance
 * @param warnings        what could not be read for this event, in words
 */
record LiveEvent(long couponId, long sequence, Instant at, String strategy, int total, Integer remaining,
        String remainingSource, Instant countingSince, Map<String, Double> perSecond, Map<String, Long> totals,
        Latency latency, Fleet fleet, Batch batch, Gate gate, Audit audit, int watchers, List<String> warnings) {

    /** Every instance's answers together: {@code instances} that wrote counts for this coupon in the last ten minutes. */
    record Fleet(int instances, Map<String, Double> perSecond, Map<String, Long> totals, Latency latency) {
    }

    /** Milliseconds; absent without answers in the window. */
    record Latency(double windowSeconds, long samples, Double p50Millis, Double p99Millis) {
    }

    /**
     * Group-commit batches settled per second and their mean size since the previous event. The batch
     * size is measured by the group-commit lane for all coupons of this instance together
     * ({@code scope: "instance"}), not per coupon.
     */
    record Batch(String scope, double batchesPerSecond, Double meanSize) {
    }

    record Gate(Long stock, Long pending, Boolean inSync) {
    }

    record Audit(boolean consistent, long issuedRows, int remaining, Boolean gateInSync, Instant at) {
    }
}
