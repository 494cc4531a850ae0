package io.couponrush.live;

import java.time.Clock;
import java.util.function.LongPredicate;

import io.couponrush.issuance.IssueMetrics;
import io.couponrush.issuance.IssueOutcome;
import org.springframework.stereotype.Component;

/**
 * Counts every issue answer per coupon, on the issue path: a lock-free table read and two
 * {@code LongAdder} increments, no allocation once a coupon has its counters. At most
 * {@code max-coupons} coupons are counted; coupons nobody watches and nobody was answered for are
 * dropped by {@link #evictIdle}.
 */
@Component
class LiveCounters implements IssueMetrics.CouponListener {

    private final CounterTable table = new CounterTable();
    private final LiveSettings settings;
    private final Clock clock;

    LiveCounters(LiveSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public void settled(long couponId, IssueOutcome outcome, long nanos) {
        var counters = table.get(couponId);
        if (counters == null) {
            counters = table.getOrCreate(couponId, settings.maxCoupons(), this::fresh);
            if (counters == null) {
                return; // full: this coupon is counted once an idle one is dropped, or once someone watches it
            }
        }
        counters.record(outcome, nanos);
    }

    /** The counters of a coupon someone watches: always made, the number of watchers bounds them. */
    CouponCounters watched(long couponId) {
        return table.getOrCreate(couponId, Integer.MAX_VALUE, this::fresh);
    }

    /**
     * Drops the counters of coupons that are not watched and were not answered for since the last
     * pass; a pass every {@code idle-after} drops a coupon between one and two of those after its
     * last answer. A request counted on counters in the very moment they are dropped is lost to the
     * feed, never to the metrics or the database: only an idle, unwatched coupon can lose it.
     */
    void evictIdle(LongPredicate watched) {
        table.retain(c -> watched.test(c.couponId) | c.takeActive());
    }

    void forEach(java.util.function.Consumer<CouponCounters> action) {
        table.forEach(action);
    }

    int counted() {
        return table.size();
    }

    boolean counts(long couponId) {
        return table.get(couponId) != null;
    }

    private CouponCounters fresh(long couponId) {
        return new CouponCounters(couponId, clock.instant());
    }
}
