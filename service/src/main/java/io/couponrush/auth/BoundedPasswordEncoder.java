package io.couponrush.auth;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import io.couponrush.web.ApiException;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Bounds the CPU a storm of sign-ups or logins can take, and makes the storm a line. BCrypt costs tens
 * of milliseconds of CPU without ever blocking; on virtual threads hundreds of hashes would hold every
 * carrier thread and the issue requests (and their pool connections) would wait behind them. Here at
 * most {@code maxConcurrent} hashes run, on platform threads of their own that the operating system
 * time-slices fairly with the carriers.
 *
 * <p>The line: callers wait for a hasher in arrival order (a fair semaphore), at most {@code maxWait}
 * (what a person tolerates behind a spinner). A caller whose wait, judged from the line ahead and the
 * measured time of a hash, would be longer is answered {@code 503 OVERLOADED} at once rather than after
 * waiting for nothing. Each such answer's {@code Retry-After} is a turn: the end of the line as it is,
 * pushed back by one hash time per hasher for every caller already sent away, so those sent away come
 * back spread over the time the hashers need for them instead of all in the same second (up to a minute
 * past the line: {@link #MAX_PROMISE_NANOS}).
 */
final class BoundedPasswordEncoder implements PasswordEncoder, AutoCloseable {

    /**
     * The furthest a turn is promised beyond the line as it is. Past it, those sent away are all told to
     * come back then: a storm of more than a minute of hashing comes back in waves rather than spread, and
     * no flood of requests (shed ones cost no rate-limit token) can push anyone's turn further out.
     */
    static final long MAX_PROMISE_NANOS = TimeUnit.SECONDS.toNanos(60);

    /** Until a hash has been timed: BCrypt at its default cost on a small server. */
    private static final long FIRST_GUESS_NANOS = TimeUnit.MILLISECONDS.toNanos(80);

    private final PasswordEncoder delegate;
    private final int maxConcurrent;
    private final Semaphore permits;
    private final long maxWaitNanos;
    private final ExecutorService hashers;
    private final LongSupplier ticker;
    /** Callers waiting for a hasher or hashing. */
    private final AtomicInteger inLine = new AtomicInteger();
    /** Mean time of one hash (exponentially weighted), nanoseconds. */
    private final AtomicLong hashNanos = new AtomicLong(FIRST_GUESS_NANOS);
    /** Hashes computed, and callers turned away: for the metrics. */
    private final AtomicLong hashes = new AtomicLong();
    private final AtomicLong shed = new AtomicLong();
    /** The latest turn promised by a {@code Retry-After} (ticker nanoseconds). */
    private final AtomicLong promisedUntil = new AtomicLong(Long.MIN_VALUE);

    BoundedPasswordEncoder(PasswordEncoder delegate, int maxConcurrent, Duration maxWait) {
        this(delegate, maxConcurrent, maxWait, System::nanoTime);
    }

    BoundedPasswordEncoder(PasswordEncoder delegate, int maxConcurrent, Duration maxWait, LongSupplier ticker) {
        this.delegate = delegate;
        this.maxConcurrent = maxConcurrent;
        this.permits = new Semaphore(maxConcurrent, true);
        this.maxWaitNanos = maxWait.toNanos();
        this.ticker = ticker;
        this.hashers = Executors.newFixedThreadPool(maxConcurrent,
                Thread.ofPlatform().name("password-hasher-", 0).daemon().factory());
    }

    @Override
    public String encode(CharSequence rawPassword) {
        return bounded(() -> delegate.encode(rawPassword));
    }

    @Override
    public boolean matches(CharSequence rawPassword, String encodedPassword) {
        return bounded(() -> delegate.matches(rawPassword, encodedPassword));
    }

    @Override
    public boolean upgradeEncoding(String encodedPassword) {
        return delegate.upgradeEncoding(encodedPassword);
    }

    /** For tests: the permits of the hashers, to take them all. */
    Semaphore permits() {
        return permits;
    }

    long hashes() {
        return hashes.get();
    }

    long shedCount() {
        return shed.get();
    }

    int inLine() {
        return inLine.get();
    }

    /** For tests and the line's arithmetic: the mean time of a hash as measured so far. */
    long hashNanos() {
        return hashNanos.get();
    }

    /**
     * How long a caller arriving behind {@code ahead} others (waiting or hashing) waits for a hasher:
     * the hashers finish one round of {@code maxConcurrent} per hash time.
     */
    long expectedWaitNanos(int ahead) {
        return (long) (ahead / maxConcurrent) * hashNanos.get();
    }

    private <T> T bounded(Callable<T> hash) {
        int ahead = inLine.getAndIncrement();
        try {
            long expected = expectedWaitNanos(ahead);
            if (expected > maxWaitNanos) {
                throw shed(expected, "The line for password checks is longer than " + seconds(maxWaitNanos)
                        + " s; come back when Retry-After says, it is your turn then");
            }
            try {
                if (!permits.tryAcquire(maxWaitNanos, TimeUnit.NANOSECONDS)) {
                    throw shed(expectedWaitNanos(inLine.get() - 1), "No password check came free within "
                            + seconds(maxWaitNanos) + " s; come back when Retry-After says");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ApiException.overloaded("Interrupted while waiting for a password check", 1);
            }
            try {
                long started = ticker.getAsLong();
                var result = hashers.submit(hash).get();
                record(ticker.getAsLong() - started);
                hashes.incrementAndGet();
                return result;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ApiException.overloaded("Interrupted during a password check", 1);
            } finally {
                permits.release();
            }
        } finally {
            inLine.decrementAndGet();
        }
    }

    /** A 503 whose Retry-After is the next free turn after the line and every turn already promised. */
    private ApiException shed(long lineWaitNanos, String detail) {
        shed.incrementAndGet();
        long now = ticker.getAsLong();
        long slot = hashNanos.get() / maxConcurrent;
        long turn;
        long promised;
        long latest = now + lineWaitNanos + MAX_PROMISE_NANOS;
        do {
            promised = promisedUntil.get();
            long from = promised == Long.MIN_VALUE || promised - (now + lineWaitNanos) < 0 ? now + lineWaitNanos : promised;
            turn = from + slot;
            if (turn - latest > 0) {
                turn = latest; // shed requests cost no rate-limit token: a flood of them must not push everyone out
            }
        } while (!promisedUntil.compareAndSet(promised, turn));
        return ApiException.overloaded(detail, (turn - now + 999_999_999L) / 1_000_000_000L);
    }

    private void record(long nanos) {
        // a quarter of the new sample: follows a changed machine load within a few hashes, not one outlier
        hashNanos.getAndUpdate(mean -> mean + (nanos - mean) / 4);
    }

    private static String seconds(long nanos) {
        return Long.toString(Math.max(1, Math.round(nanos / 1e9)));
    }

    @Override
    public void close() {
        hashers.shutdownNow();
    }
}
