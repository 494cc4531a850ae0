package io.couponrush.issuance.strategy;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.couponrush.coupon.CouponTerms;
import io.couponrush.coupon.Strategy;
import io.couponrush.infra.Dependencies;
import io.couponrush.issuance.IssueMetrics;
import io.couponrush.issuance.IssueOutcome;
import io.couponrush.issuance.IssueRequest;
import io.couponrush.issuance.Issuer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * The seeds' hand-made Lettuce spin lock ({@code SET lock:coupon:<id> <token> NX PX <lease>},
 * retry every 100 ms, give up after 10 s), with the two fixes the field learned the hard way.
 *
 * <p>First, the database transaction commits <em>before</em> the lock is released: the seeds
 * wrapped the lock inside {@code @Transactional}, so the next holder could read stock the
 * previous one had not committed yet. Here the lock wraps the transaction, never the other way
 * round. Second, the write inside is still the conditional UPDATE of {@link AtomicUpdateIssuer}:
 * a lease that expires while its holder is paused (GC, SIGSTOP) lets a second holder in, and the
 * database, not the lock, keeps them from overselling. The lock only queues requests. Release is
 * a compare-and-delete script, so a holder whose lease expired cannot delete its successor's lock.
 */
@Component
final class RedisSpinLockIssuer implements Issuer {

    private static final Logger log = LoggerFactory.getLogger(RedisSpinLockIssuer.class);

    static final RedisScript<Long> RELEASE = RedisScript.of("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then
                return redis.call('DEL', KEYS[1])
            end
            return 0
            """, Long.class);

    private final StringRedisTemplate redis;
    private final AtomicUpdateIssuer conditionalWrite;
    private final IssueMetrics metrics;
    private final Dependencies dependencies;
    private final StrategySettings.RedisLock settings;
    private volatile Runnable whileHolding = () -> { };

    RedisSpinLockIssuer(StringRedisTemplate redis, AtomicUpdateIssuer conditionalWrite, IssueMetrics metrics,
            Dependencies dependencies, StrategySettings settings) {
        this.redis = redis;
        this.conditionalWrite = conditionalWrite;
        this.metrics = metrics;
        this.dependencies = dependencies;
        this.settings = settings.redisLock();
    }

    @Override
    public Strategy strategy() {
        return Strategy.REDIS_LOCK;
    }

    @Override
    public IssueOutcome issue(CouponTerms coupon, IssueRequest request) {
        var key = lockKey(coupon.id());
        var token = UUID.randomUUID().toString();
        if (!acquire(key, token)) {
            return IssueOutcome.LOCK_TIMEOUT;
        }
        try {
            whileHolding.run();
            return conditionalWrite.issue(coupon, request); // commits before we release below
        } finally {
            release(key, token);
        }
    }

    static String lockKey(long couponId) {
        return "lock:coupon:" + couponId;
    }

    private boolean acquire(String key, String token) {
        long deadline = System.nanoTime() + settings.waitTimeout().toNanos();
        while (true) {
            // Redis known to be down: Dependencies.Unavailable, answered OVERLOADED; no lock, no grant
            if (Boolean.TRUE.equals(dependencies.redis(() -> redis.opsForValue().setIfAbsent(key, token, settings.lease())))) {
                return true;
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            metrics.retry(Strategy.REDIS_LOCK);
            if (!pause(settings.retry())) {
                return false;
            }
        }
    }

    /** Lets the lease test pause a holder (as a GC pause would); {@code null} removes the hook. */
    void pauseWhileHolding(Runnable hook) {
        this.whileHolding = hook == null ? () -> { } : hook;
    }

    /** Deletes the lock only if it is still ours. Answers whether it was. */
    boolean release(String key, String token) {
        try {
            return Long.valueOf(1).equals(redis.execute(RELEASE, List.of(key), token));
        } catch (DataAccessException e) {
            // The transaction has committed or rolled back already; its outcome stands. The lock
            // expires with its lease.
            log.warn("Could not release {}: {}", key, e.getMessage());
            return false;
        }
    }

    /** A spin lock spins: this pause is the seeds' retry interval, the mechanism under test. */
    private static boolean pause(Duration interval) {
        try {
            Thread.sleep(interval);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
