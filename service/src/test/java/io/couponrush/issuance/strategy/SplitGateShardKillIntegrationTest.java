package io.couponrush.issuance.strategy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.couponrush.IntegrationTest;
import io.couponrush.coupon.CouponService;
import io.couponrush.support.Fixtures;
import io.couponrush.support.RedisCluster;
import io.couponrush.support.TestApi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A coupon split into three sub-gates on a 3-master Redis Cluster of its own, and one master killed in the
 * middle of the rush (SIGKILL: its sub-gate, holders and reservations are gone), then started again empty.
 * Every person asks until they have a definite answer, and the database must come out exact: every copy
 * granted once, nobody over the limit, every 201 committed, no holder told sold out.
 */
class SplitGateShardKillIntegrationTest extends IntegrationTest {

    private static final int STOCK = 90;
    private static RedisCluster cluster;

    @BeforeAll
    static void needsRedisBinaries() {
        assumeTrue(RedisCluster.available(), "no redis-server/redis-cli on this machine (Debian: redis-server, redis-tools): "
                + "the shard kill is skipped");
    }

    @DynamicPropertySource
    static void redisClusterOfItsOwn(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.cluster.nodes", () -> {
            if (cluster == null) {
                cluster = RedisCluster.ofItsOwn();
            }
            return cluster.nodes();
        });
    }

    private final java.util.concurrent.atomic.AtomicInteger unavailable = new java.util.concurrent.atomic.AtomicInteger();

    private String issue(long coupon, Fixtures.TestUser user) {
        TestApi.Response answer = api.post("/api/v1/coupons/" + coupon + "/issue", user.token(), null,
                Map.of("Idempotency-Key", "shard-kill-" + user.id()));
        if (answer.status() == 201) {
            assertThat(fixtures.rowExists(answer.json().get("userCouponId").asLong())).as("I3: a 201 is committed").isTrue();
        } else {
            assertThat(answer.isProblem()).as(answer.body()).isTrue();
        }
        if (answer.status() == 503) {
            assertThat(answer.headers().firstValue("Retry-After")).as("I8: a 503 says when to come back").isPresent();
            unavailable.incrementAndGet();
        }
        return answer.code();
    }

    /** Asks until the answer is definite: a 503 (Redis or its circuit, while the shard is away) is asked again. */
    private String untilDefinite(long coupon, Fixtures.TestUser user) {
        var last = new String[1];
        await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100)).atMost(Duration.ofSeconds(60))
                .until(() -> !"OVERLOADED".equals(last[0] = issue(coupon, user)));
        return last[0];
    }

    @Test
    void aKilledShardCostsNoCopyAndGrantsNoneTwice() throws Exception {
        long coupon = fixtures.coupon("redis-gate", STOCK, 1, clock.instant().minusSeconds(60), clock.instant().plusSeconds(86_400),
                Map.of("subGates", 3));
        var terms = context.getBean(CouponService.class).terms(coupon).orElseThrow();
        var layout = context.getBean(CouponGate.class).layout(terms);
        int victim;
        try (var connection = context.getBean(RedisConnectionFactory.class).getClusterConnection()) {
            victim = connection.clusterGetNodeForKey(layout.gate(1).getBytes()).getPort();
        }
        var crowd = fixtures.users(240);
        var answers = new ConcurrentHashMap<Long, String>();

        // a first wave, all at once
        rush(crowd.subList(0, 45), user -> answers.put(user.id(), untilDefinite(coupon, user)), null);
        // a second wave; the master of sub-gate 1 dies once ten of them are answered
        var tenAnswered = new CountDownLatch(10);
        rush(crowd.subList(45, 120), user -> {
            answers.put(user.id(), issue(coupon, user));
            tenAnswered.countDown();
        }, () -> {
            tenAnswered.await();
            cluster.kill(victim);
        });
        // while the shard is away, people of its sub-gate are answered by the database
        var bypassed = context.getBean(io.micrometer.core.instrument.MeterRegistry.class).counter("couponrush.issue.gate.bypass");
        double bypassedBefore = bypassed.count();
        var ofTheDeadShard = crowd.subList(120, crowd.size()).stream().filter(user -> layout.of(user.id()) == 1).limit(10).toList();
        for (var user : ofTheDeadShard) {
            answers.put(user.id(), untilDefinite(coupon, user));
        }
        assertThat(bypassed.count() - bypassedBefore).as("requests that met the dead shard").isGreaterThanOrEqualTo(10);
        cluster.restart(victim);
        // everyone without a definite answer asks again, and the rest come
        var again = new ArrayList<Fixtures.TestUser>(crowd.subList(120, crowd.size()));
        again.removeAll(ofTheDeadShard);
        crowd.subList(45, 120).stream().filter(user -> "OVERLOADED".equals(answers.get(user.id()))).forEach(again::add);
        rush(again, user -> answers.put(user.id(), untilDefinite(coupon, user)), null);
        // reservations whose settling was cut off are settled from the database once their lease is over
        clock.advance(Duration.ofSeconds(10));
        context.getBean(GateSweeper.class).sweep();

        var codes = new HashMap<String, Integer>();
        answers.values().forEach(code -> codes.merge(code, 1, Integer::sum));
        System.out.printf("[split gate, shard killed] final answers %s, 503s on the way %d, remaining %d%n", codes,
                unavailable.get(), fixtures.remaining(coupon));
        assertThat(answers).hasSize(crowd.size());
        assertThat(Set.copyOf(answers.values())).isSubsetOf("ISSUED", "ALREADY_ISSUED", "COUPON_SOLD_OUT");
        assertThat(fixtures.rows(coupon)).isEqualTo(STOCK);
        assertThat(fixtures.remaining(coupon)).isZero();
        assertThat(audit.audit(coupon).orElseThrow().consistent()).isTrue();
        for (var user : crowd) {
            int rows = fixtures.rowsOf(coupon, user.id());
            assertThat(rows).as("I2: user %d", user.id()).isLessThanOrEqualTo(1);
            assertThat(answers.get(user.id())).as("I6: user %d holds %d", user.id(), rows)
                    .isIn(rows == 1 ? Set.of("ISSUED", "ALREADY_ISSUED") : Set.of("COUPON_SOLD_OUT"));
        }
        context.getBean(CouponGate.class).ensureLoaded(terms); // as the next request would
        var gate = context.getBean(CouponGate.class).inspect(coupon);
        assertThat(gate.loaded()).as("the lost sub-gate was built again").isTrue();
        assertThat(gate.stock() + gate.pending()).isZero();
    }

    @FunctionalInterface
    private interface Ask {
        void ask(Fixtures.TestUser user) throws Exception;
    }

    @FunctionalInterface
    private interface Strike {
        void strike() throws Exception;
    }

    /** Everyone asks at once, each on a thread of their own; {@code strike} runs beside them. */
    private static void rush(List<Fixtures.TestUser> users, Ask ask, Strike strike) throws Exception {
        var start = new CountDownLatch(1);
        var futures = new ArrayList<Future<?>>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (var user : users) {
                futures.add(threads.submit(() -> {
                    start.await();
                    ask.ask(user);
                    return null;
                }));
            }
            if (strike != null) {
                futures.add(threads.submit(() -> {
                    strike.strike();
                    return null;
                }));
            }
            start.countDown();
            for (var future : futures) {
                future.get();
            }
        }
    }
}
