package io.couponrush.auth;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.couponrush.web.ApiException;
import io.couponrush.web.ErrorCode;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Bounds the CPU a storm of sign-ups or logins can take. BCrypt costs tens of milliseconds of CPU
 * without ever blocking; on virtual threads hundreds of hashes would hold every carrier thread and
 * the issue requests (and their pool connections) would wait behind them. Here at most
 * {@code maxConcurrent} hashes run, on platform threads of their own that the operating system
 * time-slices fairly with the carriers; a caller that finds no free hasher within {@code maxWait}
 * is answered {@code 503 OVERLOADED} at once.
 */
final class BoundedPasswordEncoder implements PasswordEncoder, AutoCloseable {

    private final PasswordEncoder delegate;
    private final Semaphore permits;
    private final long maxWaitNanos;
    private final ExecutorService hashers;

    BoundedPasswordEncoder(PasswordEncoder delegate, int maxConcurrent, Duration maxWait) {
        this.delegate = delegate;
        this.permits = new Semaphore(maxConcurrent, true);
        this.maxWaitNanos = maxWait.toNanos();
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

    private <T> T bounded(Callable<T> hash) {
        try {
            if (!permits.tryAcquire(maxWaitNanos, TimeUnit.NANOSECONDS)) {
                throw new ApiException(ErrorCode.OVERLOADED, "Too many password checks at once; try again");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ErrorCode.OVERLOADED, "Interrupted while waiting for a password check");
        }
        try {
            return hashers.submit(hash).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ErrorCode.OVERLOADED, "Interrupted during a password check");
        } finally {
            permits.release();
        }
    }

    @Override
    public void close() {
        hashers.shutdownNow();
    }
}
