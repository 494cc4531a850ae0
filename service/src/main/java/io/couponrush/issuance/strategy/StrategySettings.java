package io.couponrush.issuance.strategy;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** Tuning of the seed strategies; defaults are the seed reports' own settings where they had one. */
@ConfigurationProperties("couponrush.issuance")
record StrategySettings(@DefaultValue Pessimistic pessimistic, @DefaultValue Optimistic optimistic,
        @DefaultValue RedisLock redisLock) {

    /** @param lockTimeout how long to wait for the row lock before {@code LOCK_TIMEOUT} (whole seconds on MariaDB) */
    record Pessimistic(@DefaultValue("10s") Duration lockTimeout) {
        Pessimistic {
            if (lockTimeout.isNegative() || lockTimeout.toSeconds() < 1) {
                throw new IllegalArgumentException("couponrush.issuance.pessimistic.lock-timeout must be at least 1s");
            }
        }
    }

    /**
     * @param maxAttempts attempts before {@code CONTENTION}
     * @param backoff     the first retry waits a random time up to this, doubling each attempt
     * @param maxBackoff  cap on one wait
     */
    record Optimistic(@DefaultValue("20") int maxAttempts, @DefaultValue("5ms") Duration backoff,
            @DefaultValue("200ms") Duration maxBackoff) {
        Optimistic {
            if (maxAttempts < 1 || backoff.isNegative() || maxBackoff.compareTo(backoff) < 0) {
                throw new IllegalArgumentException("couponrush.issuance.optimistic: need max-attempts >= 1 "
                        + "and 0 <= backoff <= max-backoff");
            }
        }
    }

    /**
     * @param lease       how long a lock lives if its holder never releases it
     * @param retry       pause between attempts to take the lock (the seeds: 100 ms)
     * @param waitTimeout give up with {@code LOCK_TIMEOUT} after this (the seeds: 10 s)
     */
    record RedisLock(@DefaultValue("3s") Duration lease, @DefaultValue("100ms") Duration retry,
            @DefaultValue("10s") Duration waitTimeout) {
        RedisLock {
            if (lease.toMillis() < 1 || retry.toMillis() < 1 || waitTimeout.isNegative()) {
                throw new IllegalArgumentException("couponrush.issuance.redis-lock: lease and retry must be positive");
            }
        }
    }
}
