package io.couponrush.issuance.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

import io.couponrush.IntegrationTest;
import io.couponrush.coupon.CouponTermsAccess;
import io.couponrush.issuance.IssuanceService;
import io.couponrush.issuance.IssueOutcome;
import io.couponrush.issuance.RefusalLedgerAccess;
import io.couponrush.live.LiveCountersAccess;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Memory does not grow with the number of coupons ever issued: a run that issues against 10,000
 * coupons (one grant and one sold-out refusal each, a tenth through the Redis gate) leaves nothing of
 * them behind once they have been idle, measured as the heap retained after full collections. The
 * bytes per coupon, before and after the idle sweep, are printed for the README.
 *
 * <p>The opening warm-up's pass (which keeps up to 1,000 open coupons ready) runs once at start-up
 * here: a pass still preparing the coupons while the test moves the clock past their window would
 * make lanes ready again behind the sweep's back, and the measurement is of what idle coupons leave.
 */
@TestPropertySource(properties = "couponrush.issuance.warmup.every=1h")
class HeapPerCouponIntegrationTest extends IntegrationTest {

    private static final int COUPONS = 10_000;
    private static final int GATED_EVERY = 10;
    /** What may stay of 10,000 idle coupons (a few hundred KB), with room for the collector's noise. */
    private static final long BOUND = 4L * 1024 * 1024;

    @Test
    void idleCouponsLeaveNothingBehind() throws Exception {
        var users = fixtures.users(2);
        var warmUp = createCoupons(200, "heap warm-up");
        issueAgainst(warmUp, users.get(0).id(), users.get(1).id()); // JIT, classes, pools
        forgetIdle(warmUp);
        long before = retainedHeap();

        var coupons = createCoupons(COUPONS, "heap run");
        issueAgainst(coupons, users.get(0).id(), users.get(1).id());
        long busy = retainedHeap();
        var lanes = context.getBean(GroupCommitIssuer.class);
        long withLanes = coupons.stream().filter(lanes::hasLane).count();

        forgetIdle(coupons);
        long after = retainedHeap();

        System.out.printf("[heap] %,d coupons: retained %,d bytes per coupon while in use (%,d with a lane); "
                        + "after the idle sweep %,d bytes per coupon (%,d bytes in all)%n",
                COUPONS, (busy - before) / COUPONS, withLanes, (after - before) / COUPONS, after - before);
        assertThat(withLanes).as("the run did build a lane per coupon").isEqualTo(COUPONS);
        assertThat(coupons).noneMatch(lanes::hasLane);
        assertThat(coupons).noneMatch(id -> CouponTermsAccess.cached(context, id));
        assertThat(coupons).noneMatch(id -> RefusalLedgerAccess.records(context, id));
        assertThat(coupons).noneMatch(id -> LiveCountersAccess.counts(context, id));
        assertThat(context.getBean(RedisGateIssuer.class).watched()).isZero();
        assertThat(after - before).as("heap retained by %,d idle coupons", COUPONS).isLessThan(BOUND);
    }

    /** Coupons whose window ends soon after the run, so the opening warm-up stops keeping them ready. */
    private List<Long> createCoupons(int count, String name) {
        var jdbc = context.getBean(JdbcTemplate.class);
        var now = clock.instant();
        var rows = new ArrayList<Object[]>(count);
        for (int i = 0; i < count; i++) {
            rows.add(new Object[] {name, 1000, 1, 1, 1, Timestamp.valueOf(java.time.LocalDateTime.ofInstant(now.minus(Duration.ofMinutes(1)), java.time.ZoneOffset.UTC)),
                    Timestamp.valueOf(java.time.LocalDateTime.ofInstant(now.plus(Duration.ofMinutes(1)), java.time.ZoneOffset.UTC)),
                    i % GATED_EVERY == 0 ? "redis-gate" : "batched",
                    Timestamp.valueOf(java.time.LocalDateTime.ofInstant(now, java.time.ZoneOffset.UTC))});
        }
        jdbc.batchUpdate("""
                INSERT INTO coupons (name, discount_amount, total_quantity, remaining, per_user_limit,
                                     issue_starts_at, issue_ends_at, strategy, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""", rows);
        return jdbc.queryForList("SELECT id FROM coupons WHERE name = ? ORDER BY id DESC LIMIT ?", Long.class, name, count);
    }

    /** A grant to one user and a sold-out refusal to the other, for every coupon, 64 at a time. */
    private void issueAgainst(List<Long> coupons, long first, long second) throws Exception {
        var issuance = context.getBean(IssuanceService.class);
        var inFlight = new Semaphore(64);
        var answers = new ArrayList<Future<List<IssueOutcome>>>(coupons.size());
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (long coupon : coupons) {
                inFlight.acquire();
                answers.add(pool.submit(() -> {
                    try {
                        return List.of(issuance.issue(coupon, first), issuance.issue(coupon, second));
                    } finally {
                        inFlight.release();
                    }
                }));
            }
            for (var answer : answers) {
                var outcomes = answer.get();
                assertThat(outcomes.get(0)).isInstanceOf(IssueOutcome.Issued.class);
                assertThat(outcomes.get(1)).isEqualTo(IssueOutcome.SOLD_OUT);
            }
        }
    }

    /**
     * Past every idle time (and the coupons' windows), each holder of per-coupon state sweeps. A lane
     * whose drainer is still withdrawing its published arrival (the last copy was contested) is kept
     * by a pass and taken by a later one.
     */
    private void forgetIdle(List<Long> coupons) {
        var lanes = context.getBean(GroupCommitIssuer.class);
        clock.advance(Duration.ofMinutes(5));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).until(() -> {
            context.getBean(IdleCoupons.class).sweep();
            return coupons.stream().noneMatch(lanes::hasLane);
        });
        RefusalLedgerAccess.forgetIdle(context);
        LiveCountersAccess.evictIdle(context);
    }

    /** Heap in use after full collections, the least of a few readings (the collector is not exact). */
    private static long retainedHeap() {
        var memory = ManagementFactory.getMemoryMXBean();
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            least = Math.min(least, memory.getHeapMemoryUsage().getUsed());
        }
        return least;
    }
}
