package io.couponrush.issuance.strategy;

import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.couponrush.IntegrationTest;
import io.couponrush.issuance.IssuanceService;
import io.couponrush.issuance.IssueOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code none} exists to show how the seeds' first version fails. These tests force the two
 * failures deterministically: two transactions stopped at the right step by latches, no
 * "hope it breaks" loops.
 */
class NaiveReadModifyWriteIssuerIntegrationTest extends IntegrationTest {

    private NaiveReadModifyWriteIssuer issuer() {
        return context.getBean(NaiveReadModifyWriteIssuer.class);
    }

    @AfterEach
    void removeHook() {
        issuer().pauseAt(null);
    }

    /** Both read stock 10; the first commits 9; the second, still holding its stale read, also writes 9. */
    @Test
    void losesAnUpdateWhenTwoRequestsReadTheSameStock() throws Exception {
        long coupon = fixtures.coupon("none", 10, 1);
        var users = fixtures.users(2);
        var bothRead = new CyclicBarrier(2);
        var firstDone = new CountDownLatch(1);
        var second = new ThreadLocal<Boolean>();
        issuer().pauseAt(step -> {
            if (step == NaiveReadModifyWriteIssuer.Step.READ) {
                await(bothRead);
                if (Boolean.TRUE.equals(second.get())) {
                    await(firstDone);
                }
            }
        });
        var issuance = context.getBean(IssuanceService.class);

        IssueOutcome first;
        IssueOutcome last;
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var a = threads.submit(() -> {
                try {
                    return issuance.issue(coupon, users.get(0).id());
                } finally {
                    firstDone.countDown();
                }
            });
            var b = threads.submit(() -> {
                second.set(true);
                return issuance.issue(coupon, users.get(1).id());
            });
            first = a.get(30, TimeUnit.SECONDS);
            last = b.get(30, TimeUnit.SECONDS);
        }

        assertThat(first).isInstanceOf(IssueOutcome.Issued.class);
        assertThat(last).isInstanceOf(IssueOutcome.Issued.class);
        assertThat(fixtures.rows(coupon)).isEqualTo(2);
        assertThat(fixtures.remaining(coupon)).as("one decrement lost").isEqualTo(9);
        assertThat(audit.audit(coupon).orElseThrow().consistent()).isFalse();
    }

    /**
     * Both read, both insert (each insert's foreign-key check holds a shared lock on the coupon
     * row), then both need the exclusive lock for their UPDATE: InnoDB detects the cycle and
     * rolls one back. The seeds saw thousands of these.
     */
    @Test
    void deadlocksWhenBothInsertBeforeUpdating() throws Exception {
        long coupon = fixtures.coupon("none", 10, 1);
        var users = fixtures.users(2);
        var bothInserted = new CyclicBarrier(2);
        issuer().pauseAt(step -> {
            if (step == NaiveReadModifyWriteIssuer.Step.INSERTED) {
                await(bothInserted);
            }
        });
        var issuance = context.getBean(IssuanceService.class);

        List<IssueOutcome> outcomes;
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var a = threads.submit(() -> issuance.issue(coupon, users.get(0).id()));
            var b = threads.submit(() -> issuance.issue(coupon, users.get(1).id()));
            outcomes = List.of(a.get(60, TimeUnit.SECONDS), b.get(60, TimeUnit.SECONDS));
        }

        assertThat(outcomes).filteredOn(o -> o instanceof IssueOutcome.Issued).hasSize(1);
        assertThat(outcomes).filteredOn(o -> o instanceof IssueOutcome.Failed).hasSize(1);
        assertThat(outcomes).filteredOn(o -> o instanceof IssueOutcome.Failed)
                .first().extracting(IssueOutcome::code).isEqualTo("INTERNAL_ERROR");
        // the victim's insert was rolled back with it
        assertThat(fixtures.rows(coupon)).isEqualTo(1);
        assertThat(fixtures.remaining(coupon)).isEqualTo(9);
    }

    /**
     * The seeds' JUnit setting, for the record: whatever the interleaving, rows can only exceed
     * the decrement (a lost update drops a decrement, never a row). Printed, like the seeds did.
     */
    @Test
    void reportsTheSeedsJUnitSetting() throws Exception {
        long coupon = fixtures.coupon("none", 10_000, 0);
        long user = fixtures.user().id();
        var issuance = context.getBean(IssuanceService.class);
        var outcomes = new ConcurrentHashMap<String, Integer>();
        try (var pool = Executors.newFixedThreadPool(10)) {
            var workers = new java.util.ArrayList<java.util.concurrent.Future<?>>();
            for (int t = 0; t < 10; t++) {
                workers.add(pool.submit(() -> {
                    for (int i = 0; i < 1_000; i++) {
                        outcomes.merge(issuance.issue(coupon, user).code(), 1, Integer::sum);
                    }
                    return null;
                }));
            }
            for (var worker : workers) {
                worker.get();
            }
        }
        int rows = fixtures.rows(coupon);
        int decremented = 10_000 - fixtures.remaining(coupon);
        System.out.printf("[none] seeds' JUnit setting: outcomes %s, rows %d, decremented %d, lost updates %d%n",
                new TreeMap<>(outcomes), rows, decremented, rows - decremented);

        assertThat(outcomes.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(10_000);
        assertThat(outcomes.keySet()).isSubsetOf("ISSUED", "INTERNAL_ERROR", "COUPON_SOLD_OUT");
        assertThat(rows).isEqualTo(outcomes.getOrDefault("ISSUED", 0));
        assertThat(rows).isGreaterThanOrEqualTo(decremented);
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
