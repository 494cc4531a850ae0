package io.couponrush.live;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param interval      one event per watched coupon this often (the sampler reads the database once per
 *                      interval and coupon, however many watch it)
 * @param auditEvery    the audit (several counting queries) runs every this many events
 * @param latencyWindow the latency percentiles cover this many intervals
 * @param maxWatchers   open live streams on this instance at most, all coupons together; beyond it
 *                      {@code 503 OVERLOADED}; 0 turns the feed off
 * @param maxCoupons    coupons whose answers this instance counts at most (a coupon being watched is
 *                      always counted); a coupon beyond it is counted once one is dropped
 * @param idleAfter     the counts of a coupon nobody watched and nobody was answered for during this
 *                      long are dropped (its totals start again from zero)
 * @param maxStream     a stream ends after this long; the console reconnects, other clients should too.
 *                      A reconnect is authenticated again, so this bounds how long a revoked token or a
 *                      demoted admin keeps watching
 */
@ConfigurationProperties("couponrush.live")
record LiveSettings(@DefaultValue("1s") Duration interval, @DefaultValue("5") int auditEvery,
        @DefaultValue("5") int latencyWindow, @DefaultValue("100") int maxWatchers,
        @DefaultValue("10000") int maxCoupons, @DefaultValue("2m") Duration idleAfter,
        @DefaultValue("5m") Duration maxStream) {

    LiveSettings {
        if (interval.toMillis() < 100 || interval.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("couponrush.live.interval must be between 100ms and 1m");
        }
        if (auditEvery < 1 || latencyWindow < 1 || latencyWindow > 600) {
            throw new IllegalArgumentException("couponrush.live: audit-every must be positive, latency-window 1-600");
        }
        if (maxWatchers < 0 || maxCoupons < 1) {
            throw new IllegalArgumentException("couponrush.live: max-watchers must not be negative, max-coupons positive");
        }
        if (idleAfter.compareTo(interval) < 0 || maxStream.compareTo(interval) < 0) {
            throw new IllegalArgumentException("couponrush.live: idle-after and max-stream must be at least one interval");
        }
    }
}
