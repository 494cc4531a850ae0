package io.couponrush.issuance.strategy;

import java.util.HashSet;
import java.util.List;
import java.util.Map;

import io.couponrush.coupon.CouponService;
import io.couponrush.coupon.Strategy;
import io.couponrush.support.Fixtures;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One coupon's gate split into three sub-gates, on a 3-master Redis Cluster: the whole contract of the
 * strategies holds (every test of {@link IssuerContractIntegrationTest}, run on coupons with three sub-gates),
 * the sub-gates sit on three different masters, and no copy stays out of reach of the people asking while
 * some sub-gate still holds stock, even when a transfer between sub-gates was cut in half.
 */
class SplitRedisGateOnRedisClusterIntegrationTest extends OnRedisClusterContract {

    private static final int SUB_GATES = 3;

    @Override
    Strategy strategy() {
        return Strategy.REDIS_GATE;
    }

    @Override
    Map<String, Object> couponSettings() {
        return Map.of("subGates", SUB_GATES);
    }

    private CouponGate gate() {
        return context.getBean(CouponGate.class);
    }

    private GateLayout layout(long coupon) {
        return gate().layout(context.getBean(CouponService.class).terms(coupon).orElseThrow());
    }

    private StringRedisTemplate redis() {
        return context.getBean(StringRedisTemplate.class);
    }

    private long stockOf(long coupon, int subGate) {
        return Long.parseLong(redis().<String, String>opsForHash().get(layout(coupon).gate(subGate), "stock"));
    }

    /** Users until {@code count} of them ask sub-gate {@code subGate}. */
    private List<Fixtures.TestUser> usersOf(long coupon, int subGate, int count) {
        var layout = layout(coupon);
        var chosen = new java.util.ArrayList<Fixtures.TestUser>();
        while (chosen.size() < count) {
            fixtures.users(count * SUB_GATES).stream().filter(user -> layout.of(user.id()) == subGate)
                    .limit(count - chosen.size()).forEach(chosen::add);
        }
        return chosen;
    }

    @Test
    void theSubGatesOfACouponLiveOnThreeMasters() {
        long coupon = coupon(30, 1);
        var layout = layout(coupon);

        var masters = new HashSet<String>(); // host:port of each sub-gate's master
        try (var connection = context.getBean(RedisConnectionFactory.class).getClusterConnection()) {
            for (int i = 0; i < SUB_GATES; i++) {
                masters.add(connection.clusterGetNodeForKey(layout.gate(i).getBytes()).asString());
            }
        }

        assertThat(layout.size()).isEqualTo(SUB_GATES);
        assertThat(masters).hasSize(SUB_GATES);
    }

    /** Scripts each master has run so far ({@code EVALSHA} and {@code EVAL} calls), by host:port. */
    private Map<String, Long> scriptCallsPerMaster() {
        var calls = new java.util.HashMap<String, Long>();
        try (var connection = context.getBean(RedisConnectionFactory.class).getClusterConnection()) {
            for (var node : connection.clusterGetNodes()) {
                if (node.isMaster()) {
                    var stats = connection.serverCommands().info(node, "commandstats");
                    long sum = 0;
                    for (var name : stats.stringPropertyNames()) {
                        // cmdstat_evalsha and cmdstat_eval (the key may carry the node's address in front)
                        if (name.endsWith("cmdstat_evalsha") || name.endsWith("cmdstat_eval")) {
                            // calls=…,usec=…,usec_per_call=…,rejected_calls=…,failed_calls=…
                            sum += Long.parseLong(stats.getProperty(name).replaceAll("^calls=(\\d+),.*", "$1"));
                        }
                    }
                    calls.put(node.asString(), sum);
                }
            }
        }
        return calls;
    }

    /** Each master's share of the scripts run while {@code work} ran, in admissions of 300. */
    private java.util.Collection<Long> scriptsPerMasterDuring(Runnable work) {
        var before = scriptCallsPerMaster();
        work.run();
        var after = scriptCallsPerMaster();
        return after.keySet().stream().map(node -> after.get(node) - before.getOrDefault(node, 0L)).toList();
    }

    private void admitEach(long coupon, List<Fixtures.TestUser> users) {
        var terms = context.getBean(CouponService.class).terms(coupon).orElseThrow();
        gate().ensureLoaded(terms);
        var ids = context.getBean(io.couponrush.issuance.UserCouponStore.class);
        for (var user : users) {
            var now = clock.instant();
            assertThat(gate().admit(terms, user.id(), now, ids.newRowId(), now.plusSeconds(5)).verdict())
                    .isEqualTo(CouponGate.Verdict.ADMITTED);
        }
    }

    @Test
    void theGateWorkOfOneCouponSpreadsOverTheMasters() {
        long split = coupon(1_000, 1);
        var people = fixtures.users(300);
        long whole = fixtures.coupon("redis-gate", 1_000, 1, clock.instant().minusSeconds(60), clock.instant().plusSeconds(3_600));

        var splitWork = scriptsPerMasterDuring(() -> admitEach(split, people));
        var wholeWork = scriptsPerMasterDuring(() -> admitEach(whole, people));

        System.out.printf("[sub-gates] scripts per master for 300 admissions: 3 sub-gates %s, one gate %s%n", splitWork, wholeWork);
        // one admission, one script: a third each (± chance), against all of them on one master
        assertThat(splitWork).hasSize(3).allSatisfy(calls -> assertThat(calls).isBetween(60L, 150L));
        assertThat(wholeWork.stream().mapToLong(Long::longValue).max().orElseThrow()).isGreaterThanOrEqualTo(300);
    }

    @Test
    void peopleOfOneSubGateGetEveryCopyTheOthersHold() {
        long coupon = coupon(30, 1);
        var crowd = usersOf(coupon, 0, 31);

        var first = api.post(issuePath(coupon), crowd.getFirst().token(), null);
        assertThat(first.status()).isEqualTo(201);
        assertThat(List.of(stockOf(coupon, 0), stockOf(coupon, 1), stockOf(coupon, 2))).containsExactly(9L, 10L, 10L);
        var codes = new java.util.ArrayList<String>();
        for (var user : crowd.subList(1, 30)) {
            codes.add(api.post(issuePath(coupon), user.token(), null).code());
        }
        var last = api.post(issuePath(coupon), crowd.getLast().token(), null);

        assertThat(codes).containsOnly("ISSUED").hasSize(29);
        assertThat(last.code()).isEqualTo("COUPON_SOLD_OUT");
        assertThat(fixtures.rows(coupon)).isEqualTo(30);
        assertThat(fixtures.remaining(coupon)).isZero();
        var report = audit.audit(coupon).orElseThrow();
        assertThat(report.consistent()).isTrue();
        assertThat(report.gate().inSync()).isTrue();
        assertThat(report.gate().soldOut()).isTrue();
        // every sub-gate heard the zero the database said
        for (int i = 0; i < SUB_GATES; i++) {
            assertThat(redis().<String, String>opsForHash().get(layout(coupon).gate(i), "dbzero")).isEqualTo("1");
        }
    }

    @Test
    void aSubGateWithoutStockBorrowsHalfOfTheRichestOne() {
        long coupon = coupon(30, 1);
        var crowd = usersOf(coupon, 0, 11);

        for (var user : crowd) {
            assertThat(api.post(issuePath(coupon), user.token(), null).status()).isEqualTo(201);
        }

        // ten copies were sub-gate 0's own; the eleventh came from one of the others, which gave half of its ten
        long one = stockOf(coupon, 1);
        long two = stockOf(coupon, 2);
        assertThat(List.of(one, two)).containsExactlyInAnyOrder(5L, 10L);
        assertThat(stockOf(coupon, 0)).isEqualTo(4);
        assertThat(audit.audit(coupon).orElseThrow().gate().inSync()).isTrue();
    }

    @Test
    void copiesOfATransferCutInHalfAreSoldAndPutBackByTheSweeper() {
        long coupon = coupon(30, 1);
        var terms = context.getBean(CouponService.class).terms(coupon).orElseThrow();
        gate().ensureLoaded(terms);
        // an instance took five copies from sub-gate 1 and died before giving them to anyone
        redis().opsForHash().increment(layout(coupon).gate(1), "stock", -5);
        var sweeper = context.getBean(GateSweeper.class);

        sweeper.sweep(); // seen once: could be a transfer in flight
        assertThat(gate().inspect(coupon).stock()).isEqualTo(25);
        sweeper.sweep(); // seen again, the database unmoved: lost
        assertThat(gate().inspect(coupon).stock()).isEqualTo(30);
        assertThat(audit.audit(coupon).orElseThrow().gate().inSync()).isTrue();

        redis().opsForHash().increment(layout(coupon).gate(2), "stock", -7); // lost again, and nobody sweeps
        var codes = new java.util.TreeMap<String, Integer>();
        for (var user : fixtures.users(40)) {
            codes.merge(api.post(issuePath(coupon), user.token(), null).code(), 1, Integer::sum);
        }

        // the database decides once the gates run dry without having heard zero: nothing stays unsold
        assertThat(codes).containsExactlyInAnyOrderEntriesOf(Map.of("ISSUED", 30, "COUPON_SOLD_OUT", 10));
        assertThat(fixtures.remaining(coupon)).isZero();
        assertThat(audit.audit(coupon).orElseThrow().consistent()).isTrue();
    }

    @Test
    void aTransferCutOffBeforeItLandsIsPutBackOnceTooOldAndCanNoLongerLand() {
        long coupon = coupon(30, 1);
        var terms = context.getBean(CouponService.class).terms(coupon).orElseThrow();
        gate().ensureLoaded(terms);
        var layout = layout(coupon);
        var sweeper = context.getBean(GateSweeper.class);
        // an instance took half of sub-gate 1's stock into transit, then froze
        assertThat(context.getBean(SubGateStock.class).take(layout, 1, "frozen")).isEqualTo(5);

        sweeper.sweep();
        sweeper.sweep();
        assertThat(stockOf(coupon, 1)).as("a transfer under way is not a loss").isEqualTo(5);
        assertThat(gate().inspect(coupon).stock()).isEqualTo(30);

        clock.advance(SubGateStock.TRANSIT_LIFE.plusSeconds(1));
        sweeper.sweep(); // cut off: its record goes, the shortfall is seen once
        sweeper.sweep(); // and again: topped up
        var after = List.of(stockOf(coupon, 0), stockOf(coupon, 1), stockOf(coupon, 2));

        assertThat(after.stream().mapToLong(Long::longValue).sum()).isEqualTo(30);
        assertThat(context.getBean(SubGateStock.class).land(layout, 1, "frozen")).as("the frozen owner wakes up: too late to give them").isFalse();
        assertThat(audit.audit(coupon).orElseThrow().gate().inSync()).isTrue();
    }

    @Test
    void aSubGateLostWithItsShardIsBuiltAgainWithTheCopiesTheOthersDoNotHold() {
        long coupon = coupon(30, 1);
        for (var user : usersOf(coupon, 0, 3)) {
            assertThat(api.post(issuePath(coupon), user.token(), null).status()).isEqualTo(201);
        }
        var layout = layout(coupon);
        var holders = usersOf(coupon, 2, 2);
        for (var user : holders) {
            assertThat(api.post(issuePath(coupon), user.token(), null).status()).isEqualTo(201);
        }
        // its master restarted empty: sub-gate 2 (stock 8, two holders) is gone
        redis().delete(List.of(layout.gate(2), layout.holders(2), layout.reservations(2), layout.pending(2)));

        var again = api.post(issuePath(coupon), holders.getFirst().token(), null);
        var newcomer = api.post(issuePath(coupon), usersOf(coupon, 2, 1).getFirst().token(), null);

        assertThat(again.code()).isEqualTo("ALREADY_ISSUED"); // its holders come back from the database
        assertThat(newcomer.status()).isEqualTo(201);
        // 30 − 5 copies left before the newcomer, of which sub-gates 0 and 1 hold 7 + 10: sub-gate 2 got 8
        assertThat(stockOf(coupon, 2)).isEqualTo(7);
        var report = audit.audit(coupon).orElseThrow();
        assertThat(report.gate().inSync()).isTrue();
        assertThat(report.gate().holders()).isEqualTo(6);
    }

    @Test
    void onlyTheRedisGateStrategyHasSubGates() {
        var now = clock.instant();
        var body = new java.util.HashMap<String, Object>(Map.of("name", "n", "discountAmount", 100, "totalQuantity", 10,
                "issueStartsAt", now.toString(), "issueEndsAt", now.plusSeconds(60).toString(), "strategy", "batched",
                "subGates", 3));
        var refused = api.post("/api/v1/coupons", fixtures.admin().token(), body);
        body.put("strategy", "redis-gate");
        body.put("subGates", 65);
        var tooMany = api.post("/api/v1/coupons", fixtures.admin().token(), body);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.code()).isEqualTo("VALIDATION_FAILED");
        assertThat(refused.body()).contains("subGates");
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.body()).contains("subGates");
    }
}
