package io.couponrush.infra;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import io.couponrush.CouponrushApplication;
import io.couponrush.IntegrationTest;
import io.couponrush.support.TestApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** Node ids without hand assignment: identical replicas lease distinct ones, and a lost lease stops minting. */
class NodeIdsIntegrationTest extends IntegrationTest {

    private static final long SOMEONE_ELSE = 4242L;
    private static final NodeLeaseSettings LEASE = new NodeLeaseSettings(Duration.ofSeconds(20), Duration.ofSeconds(5));

    private final List<NodeIds> started = new ArrayList<>();
    private final List<Integer> leasedWhileFrozen = new ArrayList<>();

    @AfterEach
    void release() {
        started.forEach(NodeIds::stop);
        jdbc().update("DELETE FROM node_leases WHERE holder = ?", SOMEONE_ELSE);
        // a frozen instance never stops (it never started), so nothing released its leases
        leasedWhileFrozen.forEach(node -> jdbc().update("DELETE FROM node_leases WHERE node_id = ?", node));
    }

    private JdbcTemplate jdbc() {
        return context.getBean(JdbcTemplate.class);
    }

    private NodeIds leasing(AtomicLong ticker) {
        var nodes = new NodeIds(context.getBean(JdbcClient.class), LEASE, -1, ticker::get);
        started.add(nodes);
        nodes.start();
        return nodes;
    }

    /**
     * An instance whose renewal task does not run: frozen (SIGSTOP, a long GC pause). Started, its first
     * renewal pass runs at once on another thread and may come after the takeover below, when it rightly
     * learns that its node id was taken and leases another: the race this test once lost.
     */
    private NodeIds frozen(AtomicLong ticker) {
        return new NodeIds(context.getBean(JdbcClient.class), LEASE, -1, ticker::get);
    }

    private void holdAllBut(Set<Integer> free) {
        var rows = new ArrayList<Object[]>();
        for (int id = 0; id < NodeIds.MAX_NODES; id++) {
            if (!free.contains(id)) {
                rows.add(new Object[] {id, SOMEONE_ELSE});
            }
        }
        jdbc().batchUpdate("INSERT INTO node_leases (node_id, holder, expires_at) VALUES (?, ?, NOW(6) + INTERVAL 1 HOUR) "
                + "ON DUPLICATE KEY UPDATE holder = VALUES(holder), expires_at = VALUES(expires_at)", rows);
    }

    @Test
    void identicalReplicasLeaseDistinctNodeIdsAndNeverMintTheSameId() throws Exception {
        var ticker = new AtomicLong();
        var generators = List.of(new IdGenerator(Clock.systemUTC(), leasing(ticker)), new IdGenerator(Clock.systemUTC(), leasing(ticker)));
        var seen = ConcurrentHashMap.<Long>newKeySet();
        try (var threads = Executors.newFixedThreadPool(2)) {
            var minted = new ArrayList<Future<?>>();
            for (var generator : generators) {
                minted.add(threads.submit(() -> {
                    for (int i = 0; i < 20_000; i++) {
                        assertThat(seen.add(generator.next())).isTrue();
                    }
                }));
            }
            for (var future : minted) {
                future.get();
            }
        }
        assertThat(seen).hasSize(40_000);
        assertThat(started.get(0).current()).isNotEqualTo(started.get(1).current());
        // the configured node id of this test context (1) is recorded, so no leaser takes it
        assertThat(started).extracting(NodeIds::current).doesNotContain(1);
    }

    @Test
    void aLeaserTakesOnlyAFreeOrExpiredNodeIdAndSaysSoWhenNoneIsLeft() {
        holdAllBut(Set.of(7, 9));
        jdbc().update("INSERT INTO node_leases (node_id, holder, expires_at) VALUES (9, ?, NOW(6) - INTERVAL 1 SECOND) "
                + "ON DUPLICATE KEY UPDATE holder = VALUES(holder), expires_at = VALUES(expires_at)", SOMEONE_ELSE);
        jdbc().update("DELETE FROM node_leases WHERE node_id = 7");

        var first = leasing(new AtomicLong()).current();
        var second = leasing(new AtomicLong()).current();

        assertThat(Set.of(first, second)).containsExactlyInAnyOrder(7, 9); // 9's lease had expired: taken over
        assertThatIllegalStateException().isThrownBy(() -> leasing(new AtomicLong()).current()).withMessageContaining("no free node id");
    }

    @Test
    void anInstanceWhoseLeaseRanOutStopsUsingItsNodeIdOnceSomeoneElseHasIt() {
        var ticker = new AtomicLong();
        var frozen = frozen(ticker);
        int before = frozen.current();
        leasedWhileFrozen.add(before);

        // frozen past its lease: another instance took the node id over in the meantime
        jdbc().update("UPDATE node_leases SET holder = ?, expires_at = NOW(6) + INTERVAL 1 HOUR WHERE node_id = ?", SOMEONE_ELSE, before);
        assertThat(frozen.current()).as("still within its own validity: nothing to ask yet").isEqualTo(before);
        ticker.addAndGet(LEASE.duration().minus(LEASE.renewEvery()).toNanos());

        int after = frozen.current();
        leasedWhileFrozen.add(after);
        assertThat(after).isNotEqualTo(before);
        assertThat(jdbc().queryForObject("SELECT holder FROM node_leases WHERE node_id = ?", Long.class, before)).isEqualTo(SOMEONE_ELSE);
    }

    @Test
    void aLiveInstanceRenewsAndKeepsItsNodeId() {
        var ticker = new AtomicLong();
        var live = leasing(ticker);
        int node = live.current();
        for (int i = 0; i < 5; i++) {
            ticker.addAndGet(LEASE.duration().toNanos());
            assertThat(live.current()).isEqualTo(node);
        }
        live.stop();
        assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM node_leases WHERE node_id = ?", Integer.class, node))
                .as("released when it stops").isZero();
    }

    /** Two whole service instances started with the same settings (no node id): their grants carry different node ids. */
    @Test
    void twoServiceInstancesStartedIdenticallyMintFromDifferentNodeIds() {
        long coupon = fixtures.coupon("batched", 100, 1);
        var users = fixtures.users(40);
        try (var a = new SpringApplicationBuilder(CouponrushApplication.class).properties("server.port=0").run("--couponrush.rate-limits.enabled=false");
                var b = new SpringApplicationBuilder(CouponrushApplication.class).properties("server.port=0").run("--couponrush.rate-limits.enabled=false")) {
            var apis = List.of(api(a), api(b));
            for (int i = 0; i < users.size(); i++) {
                assertThat(apis.get(i % 2).post("/api/v1/coupons/" + coupon + "/issue", users.get(i).token(), null).status()).isEqualTo(201);
            }
            var nodes = jdbc().queryForList("SELECT id FROM user_coupons WHERE coupon_id = ?", Long.class, coupon).stream()
                    .map(IdGenerator::nodeOf).distinct().toList();
            assertThat(nodes).hasSize(2).doesNotContain(1)
                    .containsExactlyInAnyOrder(a.getBean(NodeIds.class).current(), b.getBean(NodeIds.class).current());
        }
    }

    private static TestApi api(org.springframework.context.ConfigurableApplicationContext instance) {
        return new TestApi(instance.getBean(Environment.class).getRequiredProperty("local.server.port", Integer.class));
    }
}
