package io.couponrush.issuance.strategy;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param maxBatch          requests settled in one transaction at most
 * @param maxQueue          requests waiting per coupon and instance at most; beyond it {@code OVERLOADED}
 * @param soldOutHoldersMax holders of a sold-out coupon kept in memory to answer their retries
 *                          {@code ALREADY_ISSUED} without a query; a coupon held by more users answers
 *                          each sold-out request with one indexed lookup instead
 * @param contestBelow      at or below this many copies left (or before the instance has seen the
 *                          stock), batches take part in the cross-instance contest for the last copies:
 *                          each instance publishes its earliest undecided arrival, and a batch grants
 *                          only what arrived before every other instance's; 0 turns it off
 * @param contestLease      how long a published arrival holds others back if its instance stops renewing it
 * @param contestMaxWait    how long a request waits at most for other instances' earlier arrivals before
 *                          it is decided anyway (liveness over order)
 * @param idleAfter         a coupon nobody asked for this long has its lane (queue, sold-out holders)
 *                          and the gate's per-coupon state dropped; the next request builds them again
 */
@ConfigurationProperties("couponrush.issuance.batched")
record BatchSettings(@DefaultValue("500") int maxBatch, @DefaultValue("20000") int maxQueue,
        @DefaultValue("1000000") int soldOutHoldersMax, @DefaultValue("5000") int contestBelow,
        @DefaultValue("2s") Duration contestLease, @DefaultValue("1s") Duration contestMaxWait,
        @DefaultValue("1m") Duration idleAfter) {

    BatchSettings {
        if (maxBatch < 1 || maxQueue < 1 || soldOutHoldersMax < 0 || contestBelow < 0) {
            throw new IllegalArgumentException("couponrush.issuance.batched: max-batch and max-queue must be positive, "
                    + "sold-out-holders-max and contest-below not negative");
        }
        if (idleAfter.isNegative() || idleAfter.isZero()) {
            throw new IllegalArgumentException("couponrush.issuance.batched.idle-after must be positive");
        }
        if (contestLease.isNegative() || contestLease.isZero() || contestMaxWait.isNegative()) {
            throw new IllegalArgumentException("couponrush.issuance.batched: contest-lease must be positive, "
                    + "contest-max-wait not negative");
        }
    }
}
