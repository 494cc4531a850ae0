package io.couponrush.issuance.strategy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.couponrush.IntegrationTest;
import io.couponrush.issuance.IssuanceService;
import io.couponrush.issuance.IssueOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What the redis-lock strategy adds over the seeds' code: an expired lease cannot oversell; release checks the owner. */
class RedisSpinLockBehaviourIntegrationTest extends IntegrationTest {

    private RedisSpinLockIssuer issuer() {
        return context.getBean(RedisSpinLockIssuer.class);
    }

    @AfterEach
    void removeHook() {
        issuer().pauseWhileHolding(null);
    }

    /**
     * Holder A takes the lock and stalls (a GC pause) past its 500 ms lease; B takes the expired
     * lock and issues the last copy; A wakes and writes. The conditional UPDATE answers A
     * "sold out": the lock let two holders in, the database kept them from overselling.
     */
    @Test
    void expiredLeaseDoesNotOversell() throws Exception {
        long coupon = fixtures.coupon("redis-lock", 1, 1);
        var users = fixtures.users(2);
        var redis = context.getBean(StringRedisTemplate.class);
        var key = RedisSpinLockIssuer.lockKey(coupon);
        var aHolds = new CountDownLatch(1);
        var bDone = new CountDownLatch(1);
        var stalled = new ThreadLocal<Boolean>();
        issuer().pauseWhileHolding(() -> {
            if (Boolean.TRUE.equals(stalled.get())) {
                aHolds.countDown();
                await().atMost(Duration.ofSeconds(10)).until(() -> !redis.hasKey(key)); // lease gone
                try {
                    assertThat(bDone.await(30, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        var issuance = context.getBean(IssuanceService.class);

        IssueOutcome a;
        IssueOutcome b;
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var futureA = threads.submit(() -> {
                stalled.set(true);
                return issuance.issue(coupon, users.get(0).id());
            });
            assertThat(aHolds.await(10, TimeUnit.SECONDS)).isTrue();
            var futureB = threads.submit(() -> {
                try {
                    return issuance.issue(coupon, users.get(1).id());
                } finally {
                    bDone.countDown();
                }
            });
            b = futureB.get(30, TimeUnit.SECONDS);
            a = futureA.get(30, TimeUnit.SECONDS);
        }

        assertThat(b).isInstanceOf(IssueOutcome.Issued.class);
        assertThat(a).isEqualTo(IssueOutcome.SOLD_OUT);
        assertThat(fixtures.rows(coupon)).isEqualTo(1);
        assertThat(fixtures.remaining(coupon)).isZero();
        assertThat(audit.audit(coupon).orElseThrow().consistent()).isTrue();
    }

    @Test
    void releaseByNonOwnerDeletesNothing() {
        var redis = context.getBean(StringRedisTemplate.class);
        var key = RedisSpinLockIssuer.lockKey(fixtures.coupon("redis-lock", 1, 1));
        redis.opsForValue().set(key, "owner-token", Duration.ofSeconds(30));

        assertThat(issuer().release(key, "someone-else")).isFalse();
        assertThat(redis.opsForValue().get(key)).isEqualTo("owner-token");
        assertThat(issuer().release(key, "owner-token")).isTrue();
        assertThat(redis.hasKey(key)).isFalse();
    }

    @Test
    void answersLockTimeoutWhenTheLockIsNeverFree() {
        long coupon = fixtures.coupon("redis-lock", 5, 1);
        var redis = context.getBean(StringRedisTemplate.class);
        // someone else holds the lock for longer than the 5 s wait timeout of the test configuration
        redis.opsForValue().set(RedisSpinLockIssuer.lockKey(coupon), "another-holder", Duration.ofSeconds(30));

        var answer = api.post("/api/v1/coupons/" + coupon + "/issue", fixtures.user().token(), null);

        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.code()).isEqualTo("LOCK_TIMEOUT");
        assertThat(fixtures.rows(coupon)).isZero();
        assertThat(fixtures.remaining(coupon)).isEqualTo(5);
        redis.delete(RedisSpinLockIssuer.lockKey(coupon));
    }
}
