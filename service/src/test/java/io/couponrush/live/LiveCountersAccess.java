package io.couponrush.live;

import org.springframework.context.ApplicationContext;

/** What the heap measurement needs of the live counters, which are package-private. */
public final class LiveCountersAccess {

    private LiveCountersAccess() {
    }

    public static boolean counts(ApplicationContext context, long couponId) {
        return context.getBean(LiveCounters.class).counts(couponId);
    }

    /** Two passes of the feed's idle eviction with nobody watching: every idle coupon is dropped. */
    public static void evictIdle(ApplicationContext context) {
        var counters = context.getBean(LiveCounters.class);
        counters.evictIdle(id -> false);
        counters.evictIdle(id -> false);
    }
}
