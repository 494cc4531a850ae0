package io.couponrush.issuance.strategy;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.couponrush.IntegrationTest;
import io.couponrush.infra.EmbeddedStack;
import io.couponrush.issuance.IssuanceService;
import io.couponrush.issuance.IssueOutcome;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static io.couponrush.issuance.strategy.IssuerContractIntegrationTest.assertEveryAnswerDefined;
import static io.couponrush.issuance.strategy.IssuerContractIntegrationTest.concurrently;
import static io.couponrush.issuance.strategy.IssuerContractIntegrationTest.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RedisGateBehaviourIntegrationTest extends IntegrationTest {

    private CouponGate gate() {
        return context.getBean(CouponGate.class);
    }

    @Test
    void gateAndDatabaseAgreeAfterARun() throws Exception {
        long coupon = fixtures.coupon("redis-gate", 100, 1);
        var users = fixtures.users(200);

        var answers = concurrently(200, i -> api.post("/api/v1/coupons/" + coupon + "/issue", users.get(i).token(), null));
        // a second request from every winner and loser alike: all answered by the gate
        var again = concurrently(200, i -> api.post("/api/v1/coupons/" + coupon + "/issue", users.get(i).token(), null));

        assertThat(count(answers)).containsExactlyInAnyOrderEntriesOf(Map.of("ISSUED", 100, "COUPON_SOLD_OUT", 100));
        assertThat(count(again)).containsExactlyInAnyOrderEntriesOf(Map.of("ALREADY_ISSUED", 100, "COUPON_SOLD_OUT", 100));
        var report = audit.audit(coupon).orElseThrow();
        assertThat(report.consistent()).isTrue();
        assertThat(report.gate()).isEqualTo(new io.couponrush.audit.AuditReport.Gate(true, 0, 0, 100, true, true));
    }

    @Test
    void rebuildsTheGateWhenRedisIsFlushedMidLoad() throws Exception {
        runWhileRedisIsLost(() -> context.getBean(RedisConnectionFactory.class).getConnection().serverCommands().flushAll());
    }

    /** A restart also forgets loaded scripts; with a real (non-embedded) Redis the closest we can do is flush both. */
    @Test
    void keepsIssuingAcrossARedisRestart() throws Exception {
        runWhileRedisIsLost(() -> {
            try {
                if (EmbeddedStack.redisRunning()) {
                    EmbeddedStack.restartRedis();
                } else {
                    var connection = context.getBean(RedisConnectionFactory.class).getConnection();
                    connection.scriptingCommands().scriptFlush();
                    connection.serverCommands().flushAll();
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private void runWhileRedisIsLost(Runnable loseRedis) throws Exception {
        long coupon = fixtures.coupon("redis-gate", 300, 1);
        var users = fixtures.users(600);
        var answered = new AtomicInteger();
        var lost = new AtomicInteger();

        var answers = concurrently(600, i -> {
            var answer = api.post("/api/v1/coupons/" + coupon + "/issue", users.get(i).token(), null);
            if (answered.incrementAndGet() == 150 && lost.getAndIncrement() == 0) {
                loseRedis.run(); // mid-load: a quarter answered, the rest in flight or not yet sent
            }
            return answer;
        });
        // Lettuce reconnects in the background and rejects commands meanwhile (the gate falls back
        // to the database); wait until it is back before asking the gate
        await().atMost(java.time.Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                "PONG".equals(context.getBean(StringRedisTemplate.class).execute(
                        (org.springframework.data.redis.core.RedisCallback<String>) c -> c.ping())));
        // the Redis circuit opened while Redis was gone; once a trial call finds it back, the
        // warm-up rebuilds the gate before anyone asks
        var warmup = context.getBean(io.couponrush.issuance.OpeningWarmupProbe.class);
        await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
            warmup.warm();
            return gate().inspect(coupon).loaded();
        });
        // one more user after the dust settles: the gate answers it from what it rebuilt
        var late = api.post("/api/v1/coupons/" + coupon + "/issue", fixtures.user().token(), null);

        var codes = count(answers);
        System.out.printf("[redis-gate] 600 users on stock 300, Redis lost after 150 answers: %s%n", codes);
        assertThat(lost.get()).isEqualTo(1);
        assertEveryAnswerDefined(answers);
        assertThat(codes).containsExactlyInAnyOrderEntriesOf(Map.of("ISSUED", 300, "COUPON_SOLD_OUT", 300));
        assertThat(late.code()).isEqualTo("COUPON_SOLD_OUT");
        assertThat(fixtures.rows(coupon)).isEqualTo(300);
        assertThat(fixtures.remaining(coupon)).isZero();
        var report = audit.audit(coupon).orElseThrow();
        assertThat(report.consistent()).isTrue();
        assertThat(report.gate().loaded()).isTrue();
        assertThat(report.gate().stock()).isZero();
        // holders granted while the gate was being rebuilt may be unknown to it until they ask again
        assertThat(report.gate().holders()).isLessThanOrEqualTo(300);
    }

    @Test
    void givesTheReservationBackWhenTheCommitFails() {
        long coupon = fixtures.coupon("redis-gate", 5, 1);
        var issuance = context.getBean(IssuanceService.class);
        var before = fixtures.tableCounts();

        var outcome = issuance.issue(coupon, Long.MAX_VALUE - 1); // no such user: the insert fails

        assertThat(outcome).isInstanceOf(IssueOutcome.Failed.class);
        assertThat(fixtures.tableCounts()).isEqualTo(before);
        assertThat(gate().inspect(coupon)).isEqualTo(new CouponGate.GateState(true, 5, 0, 0, false));
        assertThat(issuance.issue(coupon, fixtures.user().id())).isInstanceOf(IssueOutcome.Issued.class);
        assertThat(gate().inspect(coupon)).isEqualTo(new CouponGate.GateState(true, 4, 0, 1, false));
    }

    /** Losers never reach the database: with the gate sold out, the database sees no more issue traffic. */
    @Test
    void answersLosersWithoutTheDatabase() throws Exception {
        long coupon = fixtures.coupon("redis-gate", 1, 1);
        assertThat(api.post("/api/v1/coupons/" + coupon + "/issue", fixtures.user().token(), null).status()).isEqualTo(201);
        var redis = context.getBean(StringRedisTemplate.class);
        // break the database path for this coupon: were it used, the answers would not be SOLD_OUT
        context.getBean(org.springframework.jdbc.core.JdbcTemplate.class)
                .update("UPDATE coupons SET remaining = 0 WHERE id = ?", coupon);
        redis.opsForHash().put(CouponGate.key(coupon), "stock", "0");
        var users = fixtures.users(50);

        var answers = concurrently(50, i -> api.post("/api/v1/coupons/" + coupon + "/issue", users.get(i).token(), null));

        assertThat(count(answers)).containsExactlyEntriesOf(Map.of("COUPON_SOLD_OUT", 50));
        assertThat(fixtures.rows(coupon)).isEqualTo(1);
    }

    /** The gate admitted more than the database had: the extra user hears sold out and is not left marked as a holder. */
    @Test
    void anOverAdmittedUserIsNotLeftMarkedAsHolder() {
        long coupon = fixtures.coupon("redis-gate", 1, 1);
        var redis = context.getBean(StringRedisTemplate.class);
        assertThat(api.post("/api/v1/coupons/" + coupon + "/issue", fixtures.user().token(), null).status()).isEqualTo(201);
        redis.opsForHash().put(CouponGate.key(coupon), "stock", "1"); // as if rebuilt while a grant was in flight
        var late = fixtures.user();

        var first = api.post("/api/v1/coupons/" + coupon + "/issue", late.token(), null);
        var again = api.post("/api/v1/coupons/" + coupon + "/issue", late.token(), null);

        assertThat(first.code()).isEqualTo("COUPON_SOLD_OUT");
        assertThat(again.code()).isEqualTo("COUPON_SOLD_OUT");
        assertThat(redis.opsForHash().hasKey(CouponGate.holdersKey(coupon), Long.toString(late.id()))).isFalse();
        assertThat(gate().inspect(coupon)).isEqualTo(new CouponGate.GateState(true, 0, 0, 1, true));
    }

    /**
     * Copies the gate lost track of (reservations of a crashed instance, a give-back that never
     * reached Redis) are not stranded: with no stock in the gate and the database not at zero, the
     * next users are settled by the database, at once, and get what is really left.
     */
    @Test
    void strandedCopiesGoToTheNextUsersAtOnce() {
        long coupon = fixtures.coupon("redis-gate", 5, 1);
        var redis = context.getBean(StringRedisTemplate.class);
        assertThat(api.post("/api/v1/coupons/" + coupon + "/issue", fixtures.user().token(), null).status()).isEqualTo(201);
        redis.opsForHash().put(CouponGate.key(coupon), "stock", "0"); // four copies lost track of

        var next = new java.util.ArrayList<String>();
        for (int i = 0; i < 5; i++) {
            next.add(api.post("/api/v1/coupons/" + coupon + "/issue", fixtures.user().token(), null).code());
        }

        assertThat(next).containsExactly("ISSUED", "ISSUED", "ISSUED", "ISSUED", "COUPON_SOLD_OUT");
        assertThat(fixtures.remaining(coupon)).isZero();
        var report = audit.audit(coupon).orElseThrow();
        assertThat(report.consistent()).isTrue();
        assertThat(report.gate().soldOut()).isTrue();
        assertThat(report.gate().holders()).isEqualTo(5);
    }

    /** Holders written into a hash that had vanished leave debris without stock; it is replaced, not trusted. */
    @Test
    void replacesADebrisHashWithoutStock() {
        long coupon = fixtures.coupon("redis-gate", 2, 1);
        var redis = context.getBean(StringRedisTemplate.class);
        redis.delete(CouponGate.key(coupon)); // the gate built at creation is lost...
        redis.opsForHash().put(CouponGate.key(coupon), "u:123", "1"); // ...and debris written after it
        redis.opsForHash().put(CouponGate.holdersKey(coupon), "123", "1|1|1|");

        var answer = api.post("/api/v1/coupons/" + coupon + "/issue", fixtures.user().token(), null);

        assertThat(answer.status()).isEqualTo(201);
        assertThat(gate().inspect(coupon)).isEqualTo(new CouponGate.GateState(true, 1, 0, 1, false));
    }
}
