package io.couponrush.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.couponrush.infra.Dependencies;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.env.Environment;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.stereotype.Component;

/**
 * Takes one token from each bucket a request counts against: in Redis (Bucket4j's Lettuce proxy
 * manager) for the rules whose buckets every instance shares, in this instance's memory (Bucket4j's
 * local buckets) for the others ({@link RateLimitSettings#shared(Rule)}).
 *
 * <p>Cost of a shared bucket: the buckets of one request are asked concurrently on one pipelined
 * connection, and {@link GuessingProxyManager} skips Bucket4j's read before its compare-and-swap
 * while this instance knows the bucket's state, so a check usually costs one round trip. A key that
 * was refused is refused from memory until its {@code Retry-After} has passed (no bucket refills
 * sooner, and the other instances can only take tokens), so a client hammering after its 429 costs
 * no Redis work at all. Concurrent requests on one key in this instance share one compare-and-swap
 * (Bucket4j's batching), so a crowd behind one address does not turn into a CAS retry storm.
 */
@Component
class RateLimiter implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);
    private static final long WARN_EVERY_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    private static final java.util.concurrent.atomic.AtomicLongFieldUpdater<RateLimiter> LAST_WARNED =
            java.util.concurrent.atomic.AtomicLongFieldUpdater.newUpdater(RateLimiter.class, "lastWarned");

    private volatile long lastWarned = System.nanoTime() - WARN_EVERY_NANOS - 1;

    /** Bounds each local map; past it the map starts over (it only holds what Redis also knows). */
    static final int MAX_LOCAL_KEYS = 100_000;
    private static final String PREFIX = "couponrush:rate:";

    private final RateLimitSettings settings;
    private final Dependencies dependencies;
    private final Clock clock;
    private final TimeMeter time;
    private final LettuceConnectionFactory redisFactory;
    private final Duration redisTimeout;

    private final Map<String, AsyncBucketProxy> proxies = new ConcurrentHashMap<>();
    private final Map<String, Long> refusedUntil = new ConcurrentHashMap<>();
    private final Map<String, Bucket> localBuckets = new ConcurrentHashMap<>();
    private volatile GuessingProxyManager remote;
    private StatefulConnection<String, byte[]> connection;

    RateLimiter(RateLimitSettings settings, Dependencies dependencies, Clock clock,
            LettuceConnectionFactory redisFactory, Environment env) {
        this.settings = settings;
        this.dependencies = dependencies;
        this.clock = clock;
        this.redisFactory = redisFactory;
        // the same bound every other Redis call has (spring.data.redis.timeout), also over CAS retries
        this.redisTimeout = env.getProperty("spring.data.redis.timeout", Duration.class, Duration.ofMillis(500));
        this.time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return TimeUnit.MILLISECONDS.toNanos(clock.millis());
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
    }

    /** One bucket a request counts against: a rule and whose bucket (an address, a user, a hashed email). */
    record Check(Rule rule, String subject) {
    }

    /**
     * The answer: allowed, or refused by {@code rule} until {@code retryAfterSeconds} have passed; and
     * the tokens the request took ({@code charged}), to give back ({@link #refund}) when the request
     * turns out not to have done what the limit guards.
     */
    record Verdict(Rule rule, long retryAfterSeconds, List<Charge> charged) {

        static final Verdict ALLOWED = new Verdict(null, 0, List.of());

        boolean allowed() {
            return rule == null;
        }
    }

    /** A token taken from a bucket, in Redis or in this instance's memory. */
    record Charge(Check check, boolean remote) {
    }

    boolean enabled() {
        return settings.enabled();
    }

    Verdict check(List<Check> requested) {
        var checks = requested.stream().filter(c -> !settings.limit(c.rule()).off()).toList();
        if (!settings.enabled() || checks.isEmpty()) {
            return Verdict.ALLOWED;
        }
        long now = clock.millis();
        for (var check : checks) {
            Long until = refusedUntil.get(key(check));
            if (until != null && until > now) {
                return refused(check.rule(), TimeUnit.MILLISECONDS.toNanos(until - now));
            }
        }
        var probes = new ArrayList<ConsumptionProbe>(checks.size());
        var remoteFlags = new ArrayList<Boolean>(checks.size());
        var shared = checks.stream().filter(check -> settings.shared(check.rule())).toList();
        var remote = shared.isEmpty() ? new Consumed(List.of(), false) : consumeShared(shared);
        for (int i = 0, r = 0; i < checks.size(); i++) {
            var check = checks.get(i);
            boolean inRedis = settings.shared(check.rule());
            probes.add(inRedis ? remote.probes().get(r++) : consumeLocally(check));
            remoteFlags.add(inRedis && remote.inRedis());
        }
        Rule refusedBy = null;
        long longestWait = 0;
        var charged = new ArrayList<Charge>(checks.size());
        for (int i = 0; i < checks.size(); i++) {
            var probe = probes.get(i);
            var check = checks.get(i);
            if (probe != null && probe.isConsumed()) {
                charged.add(new Charge(check, remoteFlags.get(i)));
            } else if (probe != null) {
                long wait = probe.getNanosToWaitForRefill();
                remember(refusedUntil, key(check), now + Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
                if (refusedBy == null || wait > longestWait) {
                    longestWait = wait;
                    refusedBy = check.rule();
                }
            }
        }
        if (refusedBy != null) {
            // refused: the request does nothing, so the tokens its other buckets gave are given back
            refund(charged);
            return refused(refusedBy, longestWait);
        }
        return new Verdict(null, 0, List.copyOf(charged));
    }

    private static Verdict refused(Rule rule, long nanosToWait) {
        return new Verdict(rule, Math.max(1, (nanosToWait + 999_999_999L) / 1_000_000_000L), List.of());
    }

    /**
     * Gives tokens back: the requests that took them were shed ({@code 503}) or turned out not to be what
     * the rule counts (a right password, for the failed-login rules). Done before the answer leaves, so
     * the client's next request finds them back; Redis is waited for at most its usual timeout, and a
     * refund that cannot be made leaves the token spent, which only errs toward the limit.
     */
    void refund(List<Charge> charges) {
        var pending = new ArrayList<CompletableFuture<Void>>(charges.size());
        for (var charge : charges) {
            var key = key(charge.check());
            refusedUntil.remove(key);
            if (charge.remote()) {
                var proxy = proxies.get(key);
                if (proxy != null) {
                    pending.add(proxy.addTokens(1));
                }
            } else {
                var bucket = localBuckets.get(key);
                if (bucket != null) {
                    bucket.addTokens(1);
                }
            }
        }
        long deadline = System.nanoTime() + redisTimeout.toNanos();
        for (var future : pending) {
            try {
                future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException e) {
                log.debug("A rate-limit token could not be given back in Redis: {}", e.toString());
            }
        }
    }

    /** Probes of the shared buckets, and whether they came from Redis or (Redis down) from this instance. */
    private record Consumed(List<ConsumptionProbe> probes, boolean inRedis) {
    }

    /** The shared buckets in Redis; while Redis cannot be reached, what each rule does without it. */
    private Consumed consumeShared(List<Check> checks) {
        try {
            return new Consumed(dependencies.redis(() -> consumeInRedis(checks)), true);
        } catch (RuntimeException e) {
            if (!(e instanceof Dependencies.Unavailable)) {
                // once per 10 s at most: while Redis is gone every request would say it
                long nanos = System.nanoTime();
                long last = lastWarned;
                if (nanos - last > WARN_EVERY_NANOS && LAST_WARNED.compareAndSet(this, last, nanos)) {
                    log.warn("Rate limits could not reach Redis ({}); counting per instance or allowing", e.toString());
                } else {
                    log.debug("Rate limits could not reach Redis: {}", e.toString());
                }
            }
            return new Consumed(consumeWithoutRedis(checks), false);
        }
    }

    private List<ConsumptionProbe> consumeInRedis(List<Check> checks) {
        var manager = remote();
        var pending = new ArrayList<CompletableFuture<ConsumptionProbe>>(checks.size());
        for (var check : checks) {
            var limit = settings.limit(check.rule());
            var key = key(check);
            var proxy = proxies.get(key);
            if (proxy == null) {
                proxy = manager.asAsync().builder()
                        .withOptimization(Optimizations.batching())
                        .build(key, () -> CompletableFuture.completedFuture(configuration(limit)));
                remember(proxies, key, proxy);
            }
            pending.add(proxy.tryConsumeAndReturnRemaining(1));
        }
        long deadline = System.nanoTime() + redisTimeout.toNanos();
        var probes = new ArrayList<ConsumptionProbe>(checks.size());
        for (var future : pending) {
            probes.add(await(future, deadline));
        }
        return probes;
    }

    private static ConsumptionProbe await(CompletableFuture<ConsumptionProbe> future, long deadline) {
        try {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new QueryTimeoutException("Redis did not settle a rate limit in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            var cause = e.getCause();
            // Lettuce refuses commands while it reconnects (we asked it to): the server is unreachable
            if (cause instanceof io.lettuce.core.RedisException lettuce
                    && String.valueOf(lettuce.getMessage()).contains("not connected")) {
                throw new RedisConnectionFailureException("Redis is not connected", lettuce);
            }
            throw cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
        }
    }

    /** Per rule: per-instance buckets, or no limit (a {@code null} probe). */
    private List<ConsumptionProbe> consumeWithoutRedis(List<Check> checks) {
        var probes = new ArrayList<ConsumptionProbe>(checks.size());
        for (var check : checks) {
            probes.add(check.rule().whenRedisIsDown == Rule.WhenRedisIsDown.ALLOW ? null : consumeLocally(check));
        }
        return probes;
    }

    /** A bucket in this instance's memory: no round trip, exact for this instance. */
    private ConsumptionProbe consumeLocally(Check check) {
        var key = key(check);
        var bucket = localBuckets.get(key);
        if (bucket == null) {
            bucket = Bucket.builder().addLimit(configuration(settings.limit(check.rule())).getBandwidths()[0])
                    .withCustomTimePrecision(time).build();
            var raced = localBuckets.putIfAbsent(key, bucket);
            if (raced != null) {
                bucket = raced;
            } else if (localBuckets.size() > MAX_LOCAL_KEYS) {
                localBuckets.clear(); // a burst of distinct keys: start over rather than grow without bound
            }
        }
        return bucket.tryConsumeAndReturnRemaining(1);
    }

    private static BucketConfiguration configuration(RateLimitSettings.Limit limit) {
        return BucketConfiguration.builder()
                .addLimit(l -> l.capacity(limit.capacity()).refillGreedy(limit.capacity(), limit.refillPeriod()))
                .build();
    }

    private String key(Check check) {
        return PREFIX + check.rule().id + ":" + settings.limit(check.rule()).tag() + ":" + check.subject();
    }

    private static <V> void remember(Map<String, V> map, String key, V value) {
        if (map.size() >= MAX_LOCAL_KEYS) {
            map.clear();
        }
        map.put(key, value);
    }

    private GuessingProxyManager remote() {
        var manager = remote;
        if (manager != null) {
            return manager;
        }
        synchronized (this) {
            if (remote == null) {
                var codec = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
                Bucket4jLettuce.LettuceBasedProxyManagerBuilder<String> builder;
                switch (redisFactory.getNativeClient()) {
                    case RedisClusterClient cluster -> {
                        var clusterConnection = cluster.connect(codec);
                        connection = clusterConnection;
                        builder = Bucket4jLettuce.casBasedBuilder(clusterConnection);
                    }
                    case RedisClient client -> {
                        var standalone = client.connect(codec);
                        connection = standalone;
                        builder = Bucket4jLettuce.casBasedBuilder(standalone);
                    }
                    case null, default -> throw new RedisConnectionFailureException("the Redis client is not started");
                }
                remote = new GuessingProxyManager(builder
                        .clientClock(time)
                        // a bucket disappears from Redis once it would be full again
                        .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(1))));
            }
            return remote;
        }
    }

    /** Local state only: tests that share a context start each case from empty buckets. */
    void forgetLocalState() {
        proxies.clear();
        refusedUntil.clear();
        localBuckets.clear();
        var manager = remote;
        if (manager != null) {
            manager.forget();
        }
    }

    @Override
    public synchronized void destroy() {
        if (connection != null) {
            connection.close();
        }
    }
}
