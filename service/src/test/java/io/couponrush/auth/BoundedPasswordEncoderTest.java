package io.couponrush.auth;

import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.couponrush.web.ApiException;
import io.couponrush.web.ErrorCode;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.password.PasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

class BoundedPasswordEncoderTest {

    /** Hashes until released, counting how many run at once and whether any ran on a virtual thread. */
    private static final class BlockingEncoder implements PasswordEncoder {
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger entered = new AtomicInteger();
        final AtomicBoolean onVirtualThread = new AtomicBoolean();

        @Override
        public String encode(CharSequence raw) {
            entered.incrementAndGet();
            running.incrementAndGet();
            onVirtualThread.compareAndSet(false, Thread.currentThread().isVirtual());
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                running.decrementAndGet();
            }
            return "hash:" + raw;
        }

        @Override
        public boolean matches(CharSequence raw, String encoded) {
            return encoded.equals(encode(raw));
        }
    }

    @Test
    void runsAtMostTheConfiguredNumberOfHashesAtOnceOffTheVirtualThreads() throws Exception {
        var delegate = new BlockingEncoder();
        try (var encoder = new BoundedPasswordEncoder(delegate, 2, Duration.ofMinutes(1));
             var callers = Executors.newVirtualThreadPerTaskExecutor()) {
            var results = new ArrayList<Future<String>>();
            for (int i = 0; i < 5; i++) {
                int n = i;
                results.add(callers.submit(() -> encoder.encode("p" + n)));
            }
            await().until(() -> encoder.permits().getQueueLength() == 3 && delegate.entered.get() == 2);

            assertThat(delegate.running.get()).isEqualTo(2);
            delegate.release.countDown();
            for (int i = 0; i < 5; i++) {
                assertThat(results.get(i).get()).isEqualTo("hash:p" + i);
            }
            assertThat(delegate.entered.get()).isEqualTo(5);
            assertThat(delegate.onVirtualThread.get()).isFalse();
        }
    }

    @Test
    void answersOverloadedWhenNoHasherFreesUpInTime() {
        var delegate = new BlockingEncoder();
        delegate.release.countDown();
        try (var encoder = new BoundedPasswordEncoder(delegate, 1, Duration.ZERO)) {
            encoder.permits().acquireUninterruptibly();

            assertThatExceptionOfType(ApiException.class).isThrownBy(() -> encoder.matches("p", "hash:p"))
                    .satisfies(e -> assertThat(e.code()).isEqualTo(ErrorCode.OVERLOADED));
            assertThat(delegate.entered.get()).isZero();

            encoder.permits().release();
            assertThat(encoder.matches("p", "hash:p")).isTrue();
        }
    }

    @Test
    void turnsAwayAtOnceACallerWhoseWaitWouldBeLongerThanTheBoundAndGivesEachTheNextTurn() throws Exception {
        var delegate = new BlockingEncoder();
        var now = new java.util.concurrent.atomic.AtomicLong(1_000_000_000L);
        // a hash is guessed at 80 ms until one is timed; one hasher; a person waits 50 ms at most, so
        // anyone behind the hash under way (80 ms) is turned away without waiting
        try (var encoder = new BoundedPasswordEncoder(delegate, 1, Duration.ofMillis(50), now::get);
             var callers = Executors.newVirtualThreadPerTaskExecutor()) {
            var hashing = callers.submit(() -> encoder.encode("first"));
            await().until(() -> delegate.entered.get() == 1);

            var retryAfters = new ArrayList<Long>();
            for (int i = 0; i < 30; i++) {
                assertThatExceptionOfType(ApiException.class).isThrownBy(() -> encoder.encode("later"))
                        .satisfies(e -> {
                            assertThat(e.code()).isEqualTo(ErrorCode.OVERLOADED);
                            retryAfters.add(e.retryAfterSeconds());
                        });
            }
            // the k-th one turned away: the line (one hash ahead, 80 ms) plus k hash times, in whole seconds
            var expected = new ArrayList<Long>();
            for (int k = 1; k <= 30; k++) {
                expected.add((80 + 80L * k + 999) / 1000);
            }
            assertThat(retryAfters).isEqualTo(expected).contains(1L, 2L, 3L);
            assertThat(delegate.entered.get()).as("no one turned away was hashed").isEqualTo(1);

            // time passes: the promised turns come due, and a caller after them is told a turn after them
            now.addAndGet(Duration.ofSeconds(10).toNanos());
            assertThatExceptionOfType(ApiException.class).isThrownBy(() -> encoder.encode("much later"))
                    .satisfies(e -> assertThat(e.retryAfterSeconds()).isEqualTo(1));

            delegate.release.countDown();
            assertThat(hashing.get()).isEqualTo("hash:first");
        }
    }

    @Test
    void promisesNoTurnMoreThanAMinutePastTheLineHoweverManyAreSentAway() throws Exception {
        var delegate = new BlockingEncoder();
        var now = new java.util.concurrent.atomic.AtomicLong(1_000_000_000L);
        try (var encoder = new BoundedPasswordEncoder(delegate, 1, Duration.ofMillis(50), now::get);
             var callers = Executors.newVirtualThreadPerTaskExecutor()) {
            var hashing = callers.submit(() -> encoder.encode("first"));
            await().until(() -> delegate.entered.get() == 1);

            long latest = 0;
            for (int i = 0; i < 5_000; i++) { // a flood: 5,000 x 80 ms would be 400 s of turns
                try {
                    encoder.encode("flood");
                } catch (ApiException e) {
                    latest = Math.max(latest, e.retryAfterSeconds());
                }
            }
            assertThat(latest).isEqualTo(61); // the line (80 ms) plus a minute, rounded up
            delegate.release.countDown();
            hashing.get();
        }
    }

    @Test
    void defaultsToOneHasherPerProcessor() {
        assertThat(new PasswordHashingSettings(null, Duration.ofSeconds(1)).maxConcurrent())
                .isEqualTo(Runtime.getRuntime().availableProcessors());
    }
}
