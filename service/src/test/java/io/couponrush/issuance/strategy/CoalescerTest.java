package io.couponrush.issuance.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

class CoalescerTest {

    private final List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile boolean holdFirst;

    private List<String> answer(long key, List<Integer> items) {
        batches.add(List.copyOf(items));
        if (holdFirst && batches.size() == 1) {
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        return items.stream().map(i -> key + ":" + i).toList();
    }

    @Test
    void aLoneCallIsABatchOfOneAndLeavesNothingBehind() {
        var coalescer = new Coalescer<Integer, String>(this::answer, 10);

        assertThat(coalescer.call(7, 1)).isEqualTo("7:1");
        assertThat(coalescer.call(7, 2)).isEqualTo("7:2");

        assertThat(batches).containsExactly(List.of(1), List.of(2));
        assertThat(coalescer.activeKeys()).isZero();
    }

    /**
     * Holds the first call of {@code key} in its batch, queues calls 1..{@code count} behind it one by
     * one (each waits until the previous is queued, so their order is known), then lets the first go.
     * Answers every call's future, the first one's first.
     */
    private List<Future<String>> queueBehindTheFirst(Coalescer<Integer, String> coalescer, long key, int count,
            java.util.concurrent.ExecutorService pool) {
        holdFirst = true;
        var calls = new ArrayList<Future<String>>();
        calls.add(pool.submit(() -> coalescer.call(key, 0)));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1)).until(() -> batches.size() == 1);
        for (int i = 1; i <= count; i++) {
            int item = i;
            calls.add(pool.submit(() -> coalescer.call(key, item)));
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1))
                    .until(() -> coalescer.waiting(key) == item);
        }
        release.countDown();
        return calls;
    }

    @Test
    void callsQueuedBehindOneInFlightGoTogetherInArrivalOrder() throws Exception {
        var coalescer = new Coalescer<Integer, String>(this::answer, 100);
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var calls = queueBehindTheFirst(coalescer, 7, 20, pool);

            for (int i = 0; i <= 20; i++) {
                assertThat(calls.get(i).get()).isEqualTo("7:" + i);
            }
        }
        assertThat(batches).hasSize(2);
        assertThat(batches.get(1)).containsExactlyElementsOf(
                java.util.stream.IntStream.rangeClosed(1, 20).boxed().toList());
        assertThat(coalescer.activeKeys()).isZero();
    }

    @Test
    void aBatchTakesAtMostMaxBatchAndTheRestFollow() throws Exception {
        var coalescer = new Coalescer<Integer, String>(this::answer, 3);
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (var call : queueBehindTheFirst(coalescer, 1, 7, pool)) {
                call.get();
            }
        }
        assertThat(batches.subList(1, batches.size())).containsExactly(List.of(1, 2, 3), List.of(4, 5, 6), List.of(7));
    }

    @Test
    void keysDoNotWaitForEachOther() {
        holdFirst = false;
        var coalescer = new Coalescer<Integer, String>(this::answer, 10);

        assertThat(coalescer.call(1, 5)).isEqualTo("1:5");
        assertThat(coalescer.call(2, 5)).isEqualTo("2:5");
    }

    @Test
    void everyCallerOfAFailedBatchGetsItsExceptionAndTheKeyRecovers() throws Exception {
        var failing = new CountDownLatch(1);
        var entered = new CountDownLatch(1);
        var calls = new java.util.concurrent.atomic.AtomicInteger();
        var coalescer = new Coalescer<Integer, String>((key, items) -> {
            if (calls.incrementAndGet() == 1) {
                entered.countDown();
                try {
                    failing.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return items.stream().map(String::valueOf).toList();
            }
            if (calls.get() == 2) {
                throw new org.springframework.dao.QueryTimeoutException("Redis did not answer");
            }
            return items.stream().map(String::valueOf).toList();
        }, 10);
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var first = pool.submit(() -> coalescer.call(3, 0));
            entered.await();
            var second = pool.submit(() -> coalescer.call(3, 1));
            var third = pool.submit(() -> coalescer.call(3, 2));
            await().atMost(Duration.ofSeconds(10)).until(() -> coalescer.waiting(3) == 2);
            failing.countDown();

            assertThat(first.get()).isEqualTo("0");
            for (var failed : List.of(second, third)) {
                assertThatThrownBy(failed::get).hasCauseInstanceOf(org.springframework.dao.QueryTimeoutException.class);
            }
        }
        assertThat(coalescer.call(3, 9)).isEqualTo("9");
        assertThat(coalescer.activeKeys()).isZero();
    }
}
