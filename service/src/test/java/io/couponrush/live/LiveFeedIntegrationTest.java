package io.couponrush.live;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;

import io.couponrush.IntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.Environment;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class LiveFeedIntegrationTest extends IntegrationTest {

    private static final Duration EVENT = Duration.ofSeconds(10);

    private final List<SseStream> open = new ArrayList<>();
    private LiveFeeds feeds;
    private LiveSettings settings;
    private int port;

    @BeforeEach
    void feeds() {
        feeds = context.getBean(LiveFeeds.class);
        settings = context.getBean(LiveSettings.class);
        port = context.getBean(Environment.class).getRequiredProperty("local.server.port", Integer.class);
        // streams of earlier tests (this class's, the browser test's) are gone within a few samples
        await().atMost(Duration.ofSeconds(15)).until(() -> feeds.watchers() == 0);
    }

    @AfterEach
    void hangUp() {
        open.forEach(SseStream::close);
    }

    private SseStream watch(long couponId, String token) {
        var stream = SseStream.open(port, couponId, token);
        open.add(stream);
        return stream;
    }

    @Test
    void onlyAdminsMayWatch() {
        long coupon = fixtures.coupon("batched", 5, 1);

        var anonymous = watch(coupon, null);
        var user = watch(coupon, fixtures.user().token());

        assertThat(anonymous.status).isEqualTo(401);
        assertThat(anonymous.contentType).startsWith("application/problem+json");
        assertThat(anonymous.body()).contains("\"code\":\"UNAUTHORIZED\"");
        assertThat(user.status).isEqualTo(403);
        assertThat(user.body()).contains("\"code\":\"FORBIDDEN\"");
        assertThat(feeds.watchers()).isZero();
    }

    /** Issue 23, item 5: the live view of one instance shows the answers of every instance, summed. */
    @Test
    void theLiveViewSumsTheAnswersOfEveryInstance() throws Exception {
        long coupon = fixtures.coupon("batched", 20, 1);
        var users = fixtures.users(7);
        try (var other = new org.springframework.boot.builder.SpringApplicationBuilder(io.couponrush.CouponrushApplication.class)
                .run("--server.port=0", "--couponrush.node-id=9", "--logging.level.io.couponrush.issuance.IssuanceService=error")) {
            var otherApi = new io.couponrush.support.TestApi(other.getBean(Environment.class).getRequiredProperty("local.server.port", Integer.class));
            for (int i = 0; i < users.size(); i++) {
                var via = i < 3 ? api : otherApi; // 3 here, 4 there
                assertThat(via.post("/api/v1/coupons/" + coupon + "/issue", users.get(i).token(), null).status()).isEqualTo(201);
            }
            assertThat(otherApi.post("/api/v1/coupons/" + coupon + "/issue", users.getLast().token(), null).code())
                    .isEqualTo("ALREADY_ISSUED");
            other.getBean(FleetCounts.class).runOnce(); // its once-a-second write, now
            context.getBean(FleetCounts.class).runOnce();

            var stream = watch(coupon, fixtures.admin().token());
            var event = stream.next(EVENT).data();
            assertThat(event.get("totals").get("ISSUED").asLong()).as("this instance's own").isEqualTo(3);
            var fleet = event.get("fleet");
            assertThat(fleet.get("instances").asInt()).isEqualTo(2);
            assertThat(fleet.get("totals").get("ISSUED").asLong()).isEqualTo(7);
            assertThat(fleet.get("totals").get("ALREADY_ISSUED").asLong()).isEqualTo(1);
            assertThat(fleet.get("totals").get("ISSUED").asLong()).isEqualTo(audit.audit(coupon).orElseThrow().issuedRows());
        }
    }

    @Test
    void anUnknownCouponIsNotFound() {
        var stream = watch(987_654_321L, fixtures.admin().token());

        assertThat(stream.status).isEqualTo(404);
        assertThat(stream.contentType).startsWith("application/problem+json");
        assertThat(stream.body()).contains("\"code\":\"COUPON_NOT_FOUND\"");
        assertThat(feeds.watchers()).isZero();
    }

    @Test
    void streamsRemainingRatesLatencyAndTheAudit() throws Exception {
        long coupon = fixtures.coupon("batched", 5, 1);
        var stream = watch(coupon, fixtures.admin().token());
        assertThat(stream.status).isEqualTo(200);
        assertThat(stream.contentType).startsWith("text/event-stream");
        var first = stream.next(EVENT);
        assertThat(first.name()).isEqualTo("live");
        assertThat(first.data().get("couponId").isString()).as("ids are strings").isTrue();
        assertThat(first.data().get("couponId").asString()).isEqualTo(Long.toString(coupon));
        assertThat(first.data().get("remaining").asInt()).isEqualTo(5);
        assertThat(first.data().get("remainingSource").asString()).isEqualTo("database");

        var codes = issueConcurrently(coupon, 8);

        var settled = stream.until(e -> total(e, "ISSUED") == 5 && total(e, "COUPON_SOLD_OUT") == 3
                && e.get("remaining").asInt() == 0, EVENT);
        assertThat(codes).containsOnly("ISSUED", "COUPON_SOLD_OUT").hasSize(8);
        var data = settled.data();
        assertThat(data.get("total").asInt()).isEqualTo(5);
        assertThat(data.get("strategy").asString()).isEqualTo("batched");
        assertThat(data.get("perSecond").has("ISSUED")).isTrue();
        assertThat(data.get("latency").get("samples").asLong()).isEqualTo(8);
        assertThat(data.get("latency").get("p50Millis").asDouble()).isPositive();
        assertThat(data.get("latency").get("p99Millis").asDouble())
                .isGreaterThanOrEqualTo(data.get("latency").get("p50Millis").asDouble());
        assertThat(data.get("batch").get("scope").asString()).isEqualTo("instance");
        assertThat(data.get("watchers").asInt()).isEqualTo(1);
        // the audit runs every few events, from the database: it sees the five grants and balances
        var audited = stream.until(e -> e.has("audit") && e.get("audit").get("issuedRows").asLong() == 5,
                EVENT.multipliedBy(2));
        assertThat(audited.data().get("audit").get("consistent").asBoolean()).isTrue();
        assertThat(fixtures.remaining(coupon)).isZero();
    }

    @Test
    void aRedisGateCouponShowsItsGate() {
        long coupon = fixtures.coupon("redis-gate", 3, 1);
        var stream = watch(coupon, fixtures.admin().token());
        issueConcurrently(coupon, 4);

        var event = stream.until(e -> e.get("remaining").asInt() == 0 && e.has("gate") && e.get("gate").has("inSync")
                && e.get("audit").get("issuedRows").asLong() == 3, EVENT.multipliedBy(2)).data();

        assertThat(event.get("gate").get("inSync").asBoolean()).isTrue();
        assertThat(event.get("gate").get("stock").asLong()).isZero();
        assertThat(event.has("batch")).isTrue();
    }

    @Test
    void watchersOfOneCouponShareOneSampler() {
        long coupon = fixtures.coupon("atomic", 5, 1);
        var admin = fixtures.admin().token();
        var streams = List.of(watch(coupon, admin), watch(coupon, admin), watch(coupon, admin));

        await().atMost(EVENT).until(() -> feeds.watchers() == 3);
        assertThat(feeds.feeds()).isEqualTo(1);
        var seen = streams.stream().map(s -> s.until(e -> e.get("watchers").asInt() == 3, EVENT)).toList();
        // later ones may first get the latest event again: compare the next common one
        long common = seen.stream().mapToLong(e -> e.data().get("sequence").asLong()).max().orElseThrow() + 1;
        var same = streams.stream().map(s -> s.until(e -> e.get("sequence").asLong() == common, EVENT).data()).toList();
        assertThat(same).allSatisfy(e -> assertThat(e).isEqualTo(same.getFirst()));
        assertThat(same.getFirst().get("batch")).as("atomic settles no batches").isNull();
    }

    @Test
    void aWatcherThatHangsUpIsRemoved() {
        long coupon = fixtures.coupon("batched", 5, 1);
        var admin = fixtures.admin().token();
        var staying = watch(coupon, admin);
        var leaving = watch(coupon, admin);
        leaving.next(EVENT);
        await().atMost(EVENT).until(() -> feeds.watchers() == 2);

        leaving.close();

        await().atMost(EVENT).until(() -> feeds.watchers() == 1);
        assertThat(staying.until(e -> e.get("watchers").asInt() == 1, EVENT).data().get("couponId").asString())
                .isEqualTo(Long.toString(coupon));
        staying.close();
        await().atMost(EVENT).until(() -> feeds.watchers() == 0 && feeds.feeds() == 0);
    }

    @Test
    void refusesWatchersBeyondTheLimitWith503() {
        long coupon = fixtures.coupon("batched", 5, 1);
        var admin = fixtures.admin().token();
        for (int i = 0; i < settings.maxWatchers(); i++) {
            assertThat(watch(coupon, admin).status).isEqualTo(200);
        }

        var refused = watch(coupon, admin);

        assertThat(refused.status).isEqualTo(503);
        assertThat(refused.contentType).startsWith("application/problem+json");
        assertThat(refused.response.headers().firstValue("Retry-After")).isPresent();
        assertThat(refused.body()).contains("\"code\":\"OVERLOADED\"").contains("live streams");
        assertThat(feeds.watchers()).isEqualTo(settings.maxWatchers());

        open.getFirst().close(); // one hangs up: its place is free again
        await().atMost(EVENT).until(() -> feeds.watchers() < settings.maxWatchers());
        assertThat(watch(coupon, admin).status).isEqualTo(200);
    }

    private List<String> issueConcurrently(long coupon, int users) {
        var people = fixtures.users(users);
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var answers = people.stream()
                    .map(u -> pool.submit(() -> api.post("/api/v1/coupons/" + coupon + "/issue", u.token(), null)))
                    .toList();
            return answers.stream().map(f -> {
                try {
                    return f.get().code();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
        }
    }

    private static long total(JsonNode event, String code) {
        var totals = event.get("totals");
        return totals != null && totals.has(code) ? totals.get(code).asLong() : 0;
    }

}
