package io.couponrush.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import io.couponrush.IntegrationTest;
import io.couponrush.infra.Dependencies;
import io.couponrush.support.TestApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The default {@code issue-scope: instance}: the issue limits are counted in each instance's memory,
 * exactly per instance, without a Redis round trip and also while Redis is down; nothing of them is
 * kept in Redis. The shared scope is {@link RateLimitIntegrationTest}'s.
 */
@TestPropertySource(properties = {
        "couponrush.rate-limits.issue-per-user.capacity=2",
        "couponrush.rate-limits.issue-per-user.refill-period=10s",
        "couponrush.rate-limits.issue-per-ip.capacity=4",
        "couponrush.rate-limits.issue-per-ip.refill-period=10s"})
class IssueLimitsPerInstanceIntegrationTest extends IntegrationTest {

    private static final List<String> LIMITS = List.of(
            "couponrush.rate-limits.issue-per-user.capacity=2", "couponrush.rate-limits.issue-per-user.refill-period=10s",
            "couponrush.rate-limits.issue-per-ip.capacity=4", "couponrush.rate-limits.issue-per-ip.refill-period=10s");

    @BeforeEach
    void fullBuckets() {
        context.getBean(RateLimiter.class).forgetLocalState();
    }

    @AfterEach
    void redisBack() {
        context.getBean(Dependencies.class).redis().transitionToClosedState();
    }

    @Test
    void limitsIssuesPerUserInThisInstanceWithoutTouchingRedis() {
        long coupon = fixtures.coupon("batched", 10, 5);
        var user = fixtures.user();
        var redis = context.getBean(StringRedisTemplate.class);

        assertThat(issue(api, coupon, user.token()).status()).isEqualTo(201);
        assertThat(issue(api, coupon, user.token()).status()).isEqualTo(201);
        var refused = issue(api, coupon, user.token());

        assertThat(refused.status()).as(refused.body()).isEqualTo(429);
        assertThat(refused.code()).isEqualTo("RATE_LIMITED");
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(fixtures.rowsOf(coupon, user.id())).isEqualTo(2);
        assertThat(redis.keys("couponrush:rate:issue-*")).isEmpty();
    }

    @Test
    void refillsOverTheRefillPeriod() {
        long coupon = fixtures.coupon("batched", 10, 5);
        var user = fixtures.user();
        issue(api, coupon, user.token());
        issue(api, coupon, user.token());
        assertThat(issue(api, coupon, user.token()).status()).isEqualTo(429);

        clock.advance(Duration.ofSeconds(6)); // 2 per 10 s: one token back every 5 s

        assertThat(issue(api, coupon, user.token()).status()).isEqualTo(201);
        assertThat(issue(api, coupon, user.token()).status()).isEqualTo(429);
    }

    @Test
    void stillLimitsWhileRedisIsDown() {
        long coupon = fixtures.coupon("batched", 10, 5);
        var user = fixtures.user();
        context.getBean(Dependencies.class).redis().transitionToForcedOpenState();

        assertThat(issue(api, coupon, user.token()).status()).isEqualTo(201);
        assertThat(issue(api, coupon, user.token()).status()).isEqualTo(201);
        assertThat(issue(api, coupon, user.token()).status()).isEqualTo(429);
        assertThat(fixtures.rowsOf(coupon, user.id())).isEqualTo(2);
    }

    @Test
    void eachInstanceCountsItsOwn() {
        long coupon = fixtures.coupon("batched", 10, 5);
        var user = fixtures.user();
        try (var second = new OtherInstance(LIMITS)) {
            var other = new TestApi(second.port());
            for (int i = 0; i < 2; i++) {
                assertThat(issue(api, coupon, user.token()).status()).isEqualTo(201);
            }
            assertThat(issue(api, coupon, user.token()).status()).isEqualTo(429);

            for (int i = 0; i < 2; i++) {
                assertThat(issue(other, coupon, user.token()).status()).isEqualTo(201);
            }
            assertThat(issue(other, coupon, user.token()).status()).isEqualTo(429);
        }
        assertThat(fixtures.rowsOf(coupon, user.id())).isEqualTo(4);
    }

    private static TestApi.Response issue(TestApi via, long coupon, String token) {
        return via.post("/api/v1/coupons/" + coupon + "/issue", token, null);
    }
}
