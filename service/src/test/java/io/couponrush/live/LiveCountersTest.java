package io.couponrush.live;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.couponrush.issuance.Holding;
import io.couponrush.issuance.IssueOutcome;
import io.couponrush.issuance.IssuedCoupon;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LiveCountersTest {

    private static final IssuedCoupon GRANT = new IssuedCoupon(9, 1, 2, Instant.EPOCH);

    private static LiveSettings settings(int maxCoupons) {
        return new LiveSettings(Duration.ofSeconds(1), 5, 5, 100, maxCoupons, Duration.ofMinutes(2), Duration.ofMinutes(5));
    }

    private final LiveCounters counters = new LiveCounters(settings(3), Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));

    @Test
    void countsEachCouponByOutcomeCode() {
        counters.settled(1, new IssueOutcome.Issued(GRANT), 1_000_000);
        counters.settled(1, IssueOutcome.SOLD_OUT, 2_000_000);
        counters.settled(1, IssueOutcome.SOLD_OUT, 2_000_000);
        counters.settled(2, IssueOutcome.UNSETTLED, 5_000_000);

        var one = counters.watched(1).read();
        assertThat(one.outcomes()[OutcomeCodes.ALL.indexOf("ISSUED")]).isEqualTo(1);
        assertThat(one.outcomes()[OutcomeCodes.ALL.indexOf("COUPON_SOLD_OUT")]).isEqualTo(2);
        assertThat(sum(one.latency())).isEqualTo(3);
        assertThat(one.latency()[LatencyBuckets.index(2_000_000)]).isEqualTo(2);
        assertThat(counters.watched(2).read().outcomes()[OutcomeCodes.ALL.indexOf("OVERLOADED")]).isEqualTo(1);
    }

    @Test
    void everyOutcomeIsCountedUnderTheCodeItAnswers() {
        List<IssueOutcome> all = List.of(new IssueOutcome.Issued(GRANT), IssueOutcome.SOLD_OUT,
                new IssueOutcome.AlreadyIssued(new Holding(1, GRANT, null)), IssueOutcome.NOT_OPEN, IssueOutcome.CLOSED,
                IssueOutcome.NOT_FOUND, IssueOutcome.LOCK_TIMEOUT, IssueOutcome.CONTENTION, IssueOutcome.OVERLOADED,
                IssueOutcome.UNSETTLED, new IssueOutcome.KeyReused(3), new IssueOutcome.Failed("deadlock"));
        for (var outcome : all) {
            assertThat(OutcomeCodes.ALL.get(OutcomeCodes.index(outcome))).as(outcome.toString()).isEqualTo(outcome.code());
        }
    }

    @Test
    void countsAtMostMaxCouponsUnlessWatched() {
        for (long id = 1; id <= 5; id++) {
            counters.settled(id, IssueOutcome.SOLD_OUT, 1000);
        }

        assertThat(counters.counted()).isEqualTo(3);
        var watched = counters.watched(4); // a coupon someone watches is always counted
        counters.settled(4, IssueOutcome.SOLD_OUT, 1000);
        assertThat(watched.read().outcomes()[1]).isEqualTo(1);
        assertThat(counters.counted()).isEqualTo(4);
    }

    @Test
    void dropsCouponsNobodyWatchesAndNobodyIssuesFor() {
        counters.settled(1, IssueOutcome.SOLD_OUT, 1000);
        counters.settled(2, IssueOutcome.SOLD_OUT, 1000);
        counters.watched(3);

        counters.evictIdle(id -> id == 3); // 1 and 2 were answered since the last pass: kept
        assertThat(counters.counted()).isEqualTo(3);

        counters.settled(2, IssueOutcome.SOLD_OUT, 1000);
        counters.evictIdle(id -> id == 3);

        assertThat(counters.counted()).isEqualTo(2); // 1 idle for a whole pass: dropped
        counters.evictIdle(id -> false);
        assertThat(counters.counted()).isZero();
    }

    @Test
    void countingAllocatesNothingOnceACouponHasCounters() {
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        if (!(threads instanceof com.sun.management.ThreadMXBean measured) || !measured.isThreadAllocatedMemorySupported()) {
            return;
        }
        var outcome = IssueOutcome.SOLD_OUT;
        for (int i = 0; i < 200_000; i++) { // warm up: let the JIT compile the path
            counters.settled(1_000_007, outcome, i);
        }
        long before = measured.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) {
            counters.settled(1_000_007, outcome, TimeUnit.MICROSECONDS.toNanos(i % 5000));
        }
        long allocated = measured.getCurrentThreadAllocatedBytes() - before;

        assertThat(allocated).as("bytes allocated by 100,000 counted answers").isLessThan(10_000);
    }

    private static long sum(long[] counts) {
        long sum = 0;
        for (long c : counts) {
            sum += c;
        }
        return sum;
    }
}
