package io.couponrush.infra;

import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.stereotype.Component;

/**
 * One circuit breaker per backing server (Resilience4j). A circuit opens when calls to its server
 * keep failing at the connection level; while open, calls fail at once ({@link Unavailable}, answered
 * {@code 503 OVERLOADED} with {@code Retry-After}) instead of each waiting for a server known to be
 * down; after {@code open-for} a few trial calls decide whether it is back, so the service recovers
 * by itself. Only connection-level failures count: a refusal the server gave (a duplicate key, a
 * lock timeout) says the server is fine.
 */
@Component
public class Dependencies {

    private final CircuitBreaker database;
    private final CircuitBreaker redis;

    Dependencies(DependencySettings settings, Clock clock, MeterRegistry meters) {
        var config = CircuitBreakerConfig.custom()
                .slidingWindow(settings.window(), settings.failuresToOpen(),
                        CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .failureRateThreshold(100f * settings.failuresToOpen() / settings.window() - 0.01f)
                .waitDurationInOpenState(settings.openFor())
                .permittedNumberOfCallsInHalfOpenState(2)
                .recordException(Dependencies::connectionLevel)
                .clock(clock)
                .build();
        var registry = CircuitBreakerRegistry.of(config);
        this.database = registry.circuitBreaker("database");
        this.redis = registry.circuitBreaker("redis");
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meters);
    }

    /** A failure that says the server cannot be reached or does not answer. */
    static boolean connectionLevel(Throwable e) {
        for (var t = e; t != null; t = t.getCause()) {
            if (t instanceof DataAccessResourceFailureException || t instanceof QueryTimeoutException
                    || t instanceof java.sql.SQLTransientConnectionException
                    || t instanceof java.sql.SQLNonTransientConnectionException
                    || t instanceof java.net.SocketException || t instanceof java.net.SocketTimeoutException
                    || t instanceof io.lettuce.core.RedisConnectionException
                    || t instanceof io.lettuce.core.RedisCommandTimeoutException) {
                return true;
            }
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }

    public CircuitBreaker database() {
        return database;
    }

    public CircuitBreaker redis() {
        return redis;
    }

    /** Runs one Redis call through its circuit. */
    public <T> T redis(Supplier<T> call) {
        return guarded(redis, () -> {
            try {
                return call.get();
            } catch (RedisSystemException e) {
                // Lettuce rejects commands while it reconnects (we asked it to): a connection failure
                if (e.getCause() instanceof io.lettuce.core.RedisException lettuce
                        && String.valueOf(lettuce.getMessage()).contains("not connected")) {
                    throw new RedisConnectionFailureException("Redis is not connected", e);
                }
                throw e;
            }
        });
    }

    /**
     * A connection-level failure seen outside the pool (a statement on a connection whose server
     * went away): the database circuit learns it too, not only from failed connection attempts.
     */
    public void failed(Throwable e) {
        if (!connectionLevel(e)) {
            return;
        }
        boolean fromRedis = false;
        for (var t = e; t != null; t = t.getCause()) {
            fromRedis |= t instanceof RedisConnectionFailureException || t.getClass().getName().startsWith("io.lettuce");
        }
        var circuit = fromRedis ? redis : database;
        if (circuit.getState() != CircuitBreaker.State.OPEN && circuit.tryAcquirePermission()) {
            circuit.onError(0, TimeUnit.NANOSECONDS, e);
        }
    }

    static <T> T guarded(CircuitBreaker circuit, Supplier<T> call) {
        if (!circuit.tryAcquirePermission()) {
            throw new Unavailable(circuit.getName());
        }
        long started = System.nanoTime();
        try {
            T result = call.get();
            circuit.onSuccess(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            return result;
        } catch (RuntimeException | Error e) {
            circuit.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS, e);
            throw e;
        }
    }

    /** The dependency's circuit is open: it is known to be down, so nobody waits for it. */
    public static final class Unavailable extends RuntimeException {

        public Unavailable(String dependency) {
            super(dependency + " is unavailable (circuit open)", null, false, false);
        }
    }
}
