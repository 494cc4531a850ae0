package io.couponrush.live;

import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;

import io.couponrush.issuance.IssueOutcome;

/**
 * What this instance answered for one coupon, since {@link #since}: a count per outcome code and a
 * latency histogram, both cumulative. The sampler turns differences between two readings into rates
 * and windows, so the issue path only increments.
 */
final class CouponCounters {

    final long couponId;
    final Instant since;
    private final LongAdder[] outcomes = adders(OutcomeCodes.COUNT);
    private final LongAdder[] latency = adders(LatencyBuckets.COUNT);
    // set by the issue path, cleared by the eviction pass: "answered since the last pass"
    private volatile boolean active;

    CouponCounters(long couponId, Instant since) {
        this.couponId = couponId;
        this.since = since;
    }

    private static LongAdder[] adders(int count) {
        var adders = new LongAdder[count];
        for (int i = 0; i < count; i++) {
            adders[i] = new LongAdder();
        }
        return adders;
    }

    void record(IssueOutcome outcome, long nanos) {
        outcomes[OutcomeCodes.index(outcome)].increment();
        latency[LatencyBuckets.index(nanos)].increment();
        if (!active) { // read first: a volatile write on every request would bounce the cache line between cores
            active = true;
        }
    }

    /** Whether anything was counted since the last call. */
    boolean takeActive() {
        if (!active) {
            return false;
        }
        active = false;
        return true;
    }

    Reading read() {
        return new Reading(sums(outcomes), sums(latency));
    }

    private static long[] sums(LongAdder[] adders) {
        var sums = new long[adders.length];
        for (int i = 0; i < adders.length; i++) {
            sums[i] = adders[i].sum();
        }
        return sums;
    }

    /** Cumulative counts at one moment: per outcome code (in {@link OutcomeCodes} order) and per latency bucket. */
    record Reading(long[] outcomes, long[] latency) {

        static final Reading ZERO = new Reading(new long[OutcomeCodes.COUNT], new long[LatencyBuckets.COUNT]);

        static long[] minus(long[] now, long[] before) {
            var delta = new long[now.length];
            for (int i = 0; i < now.length; i++) {
                delta[i] = now[i] - before[i];
            }
            return delta;
        }
    }
}
