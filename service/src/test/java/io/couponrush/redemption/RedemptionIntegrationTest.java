package io.couponrush.redemption;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

import io.couponrush.CouponrushApplication;
import io.couponrush.IntegrationTest;
import io.couponrush.support.Fixtures;
import io.couponrush.support.TestApi;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spending a copy, over HTTP on real MariaDB: reserve, confirm and cancel by an order system, each copy in
 * exactly one state under any concurrency and on two instances, holds that lapse by themselves, validity and
 * minimums, idempotency by order, the holder's view, and the books balancing in the audit.
 */
class RedemptionIntegrationTest extends IntegrationTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final String CLIENT = "Basic " + Base64.getEncoder().encodeToString("test-orders:test-orders-secret".getBytes(StandardCharsets.UTF_8));

    private int port() {
        return context.getBean(Environment.class).getRequiredProperty("local.server.port", Integer.class);
    }

    static TestApi.Response call(int port, String action, Map<String, Object> body, String authorization) {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/redemptions/" + action))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(TestApi.JSON.writeValueAsString(body)));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            var response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new TestApi.Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.headers(), response.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private TestApi.Response reserve(long copy, long user, String order, long amount) {
        return call(port(), "reserve", Map.of("userCouponId", Long.toString(copy), "userId", Long.toString(user), "orderId", order,
                "orderAmount", amount), CLIENT);
    }

    private TestApi.Response confirm(long copy, String order) {
        return call(port(), "confirm", Map.of("userCouponId", Long.toString(copy), "orderId", order), CLIENT);
    }

    private TestApi.Response cancel(long copy, String order) {
        return call(port(), "cancel", Map.of("userCouponId", Long.toString(copy), "orderId", order), CLIENT);
    }

    private record Held(Fixtures.TestUser user, long copy, long coupon) {
    }

    /** A coupon with these terms, and one copy issued to a fresh user. */
    private Held held(Map<String, Object> terms) {
        var now = clock.instant();
        var body = new HashMap<String, Object>(Map.of("name", "spendable", "totalQuantity", 10, "strategy", "atomic",
                "issueStartsAt", now.minusSeconds(60).toString(), "issueEndsAt", now.plus(Duration.ofDays(1)).toString()));
        body.putAll(terms);
        var created = api.post("/api/v1/coupons", fixtures.admin().token(), body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long coupon = created.json().get("id").asLong();
        var user = fixtures.user();
        var issued = api.post("/api/v1/coupons/" + coupon + "/issue", user.token(), null);
        assertThat(issued.status()).as(issued.body()).isEqualTo(201);
        return new Held(user, issued.json().get("userCouponId").asLong(), coupon);
    }

    private Held fixed(long amount) {
        return held(Map.of("discountAmount", amount));
    }

    private static String order() {
        return "order-" + UUID.randomUUID();
    }

    /** As the holder sees it, with a token minted now (the clock may have moved past the fixture's). */
    private String stateOf(Held held) {
        var mine = api.get("/api/v1/users/me/coupons/" + held.copy(), tokenOf(held.user()));
        assertThat(mine.status()).as(mine.body()).isEqualTo(200);
        return mine.json().get("state").asString();
    }

    private String tokenOf(Fixtures.TestUser user) {
        return context.getBean(io.couponrush.auth.TokenService.class).mint(user.id(), io.couponrush.user.Role.USER).accessToken();
    }

    private JdbcTemplate jdbc() {
        return context.getBean(JdbcTemplate.class);
    }

    private void assertBooksBalance(long coupon) {
        var books = audit.audit(coupon).orElseThrow().books();
        assertThat(books.balanced()).as(books.toString()).isTrue();
        assertThat(books.usedTwice()).isZero();
    }

    @Test
    void reservesConfirmsAndShowsTheCopyUsedWithItsDiscount() {
        var held = held(Map.of("discountType", "percent", "discountPercent", 10, "maxDiscount", 3_000, "minOrderAmount", 10_000));
        var order = order();

        var reserved = reserve(held.copy(), held.user().id(), order, 50_000);
        assertThat(reserved.status()).as(reserved.body()).isEqualTo(200);
        assertThat(reserved.json().get("state").asString()).isEqualTo("RESERVED");
        assertThat(reserved.json().get("discount").asLong()).as("10 % of 50,000, capped at 3,000").isEqualTo(3_000);
        assertThat(reserved.json().get("userCouponId").isString()).isTrue();
        assertThat(stateOf(held)).isEqualTo("RESERVED");

        var confirmed = confirm(held.copy(), order);
        assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(200);
        assertThat(confirmed.json().get("state").asString()).isEqualTo("USED");
        var mine = api.get("/api/v1/users/me/coupons?state=used", held.user().token()).json();
        assertThat(mine.size()).isEqualTo(1);
        assertThat(mine.get(0).get("discountGiven").asLong()).isEqualTo(3_000);
        assertThat(mine.get(0).get("discountType").asString()).isEqualTo("percent");
        assertThat(api.get("/api/v1/users/me/coupons?state=usable", held.user().token()).json().size()).isZero();
        assertBooksBalance(held.coupon());
    }

    @Test
    void theSameRequestAgainAnswersTheSame() {
        var held = fixed(1_000);
        var order = order();
        var first = reserve(held.copy(), held.user().id(), order, 5_000);
        var again = reserve(held.copy(), held.user().id(), order, 5_000);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("holdUntil").asString()).isEqualTo(first.json().get("holdUntil").asString());
        assertThat(confirm(held.copy(), order).json().get("state").asString()).isEqualTo("USED");
        assertThat(confirm(held.copy(), order).json().get("state").asString()).as("confirm again").isEqualTo("USED");
        assertThat(cancel(held.copy(), order).json().get("state").asString()).isEqualTo("ISSUED");
        assertThat(cancel(held.copy(), order).json().get("state").asString()).as("cancel again").isEqualTo("ISSUED");
        assertThat(jdbc().queryForList("SELECT event FROM redemption_events WHERE user_coupon_id = ? ORDER BY id", String.class, held.copy()))
                .containsExactly("RESERVED", "USED", "RESTORED");
        assertThat(stateOf(held)).isEqualTo("ISSUED");
        assertBooksBalance(held.coupon());
    }

    @Test
    void manyOrdersReservingOneCopyAtOnceGetOneHold() throws Exception {
        var held = fixed(1_000);
        int orders = 16;
        var start = new CountDownLatch(1);
        var calls = new ArrayList<Callable<TestApi.Response>>();
        for (int i = 0; i < orders; i++) {
            var order = "race-" + i + "-" + UUID.randomUUID();
            calls.add(() -> {
                start.await();
                return reserve(held.copy(), held.user().id(), order, 5_000);
            });
        }
        var answers = new ArrayList<TestApi.Response>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = calls.stream().map(pool::submit).toList();
            start.countDown();
            for (var future : futures) {
                answers.add(future.get());
            }
        }
        assertThat(answers.stream().filter(a -> a.status() == 200)).hasSize(1);
        assertThat(answers.stream().filter(a -> a.status() != 200).map(TestApi.Response::code)).containsOnly("RESERVED_BY_ANOTHER_ORDER");
        assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM redemption_events WHERE user_coupon_id = ?", Integer.class, held.copy()))
                .isEqualTo(1);
    }

    @Test
    void confirmAndCancelRacingEndInOneStateEveryTime() throws Exception {
        for (int round = 0; round < 10; round++) {
            var held = fixed(1_000);
            var order = order();
            assertThat(reserve(held.copy(), held.user().id(), order, 5_000).status()).isEqualTo(200);
            var start = new CountDownLatch(1);
            List<Callable<TestApi.Response>> both = List.of(() -> {
                start.await();
                return confirm(held.copy(), order);
            }, () -> {
                start.await();
                return cancel(held.copy(), order);
            });
            List<TestApi.Response> answers = new ArrayList<>();
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                var futures = both.stream().map(pool::submit).toList();
                start.countDown();
                for (var future : futures) {
                    answers.add(future.get());
                }
            }
            var confirmed = answers.get(0);
            var cancelled = answers.get(1);
            assertThat(cancelled.json().get("state").asString()).isEqualTo("ISSUED");
            var events = jdbc().queryForList("SELECT event FROM redemption_events WHERE user_coupon_id = ? ORDER BY id",
                    String.class, held.copy());
            if (confirmed.status() == 200) { // confirmed, then cancelled: the copy came back restored
                assertThat(confirmed.json().get("state").asString()).isEqualTo("USED");
                assertThat(events).containsExactly("RESERVED", "USED", "RESTORED");
            } else { // cancelled first: the confirm found no hold and used nothing
                assertThat(confirmed.code()).isEqualTo("NOT_RESERVED");
                assertThat(events).containsExactly("RESERVED", "RELEASED");
            }
            assertThat(stateOf(held)).isEqualTo("ISSUED");
            assertBooksBalance(held.coupon());
        }
    }

    static final String OTHER_CLIENT = "Basic " + Base64.getEncoder().encodeToString("other-orders:other-orders-secret".getBytes(StandardCharsets.UTF_8));

    @Test
    void onlyTheOrderSystemThatReservedMayConfirmOrCancel() {
        var held = fixed(1_000);
        var order = order();
        assertThat(reserve(held.copy(), held.user().id(), order, 5_000).status()).isEqualTo(200);
        var body = Map.<String, Object>of("userCouponId", Long.toString(held.copy()), "orderId", order);

        assertThat(call(port(), "confirm", body, OTHER_CLIENT).code()).as("not an order of theirs").isEqualTo("NOT_RESERVED");
        assertThat(call(port(), "cancel", body, OTHER_CLIENT).code()).isEqualTo("NOT_RESERVED");
        assertThat(stateOf(held)).isEqualTo("RESERVED");
        assertThat(confirm(held.copy(), order).json().get("state").asString()).isEqualTo("USED");
        assertThat(call(port(), "cancel", body, OTHER_CLIENT).code()).as("nor restore it after").isEqualTo("NOT_RESERVED");
        assertThat(stateOf(held)).isEqualTo("USED");
    }

    @Test
    void aCancelOrReserveRepeatedLateNeitherLiesNorTakesTheCopyBack() {
        var held = fixed(1_000);
        var first = order();
        assertThat(reserve(held.copy(), held.user().id(), first, 5_000).status()).isEqualTo(200);
        assertThat(cancel(held.copy(), first).json().get("state").asString()).isEqualTo("ISSUED");
        assertThat(reserve(held.copy(), held.user().id(), first, 5_000).code()).as("a late repeat of the first reserve")
                .isEqualTo("NOT_RESERVED");

        var second = order();
        assertThat(reserve(held.copy(), held.user().id(), second, 5_000).status()).isEqualTo(200);
        assertThat(confirm(held.copy(), second).json().get("state").asString()).isEqualTo("USED");
        assertThat(cancel(held.copy(), first).code()).as("the first order's cancel repeated").isEqualTo("ALREADY_USED");
        assertThat(stateOf(held)).isEqualTo("USED");
        assertBooksBalance(held.coupon());
    }

    @Test
    void aHoldLapsesByItselfAndAConfirmAfterItUsesNothing() {
        var held = fixed(1_000);
        var late = order();
        assertThat(reserve(held.copy(), held.user().id(), late, 5_000).status()).isEqualTo(200);

        clock.advance(Duration.ofMinutes(16)); // the hold is 15 minutes
        assertThat(stateOf(held)).isEqualTo("ISSUED");
        var refused = confirm(held.copy(), late);
        assertThat(refused.code()).isEqualTo("HOLD_LAPSED");
        assertThat(jdbc().queryForObject("SELECT used_at FROM user_coupons WHERE id = ?", Object.class, held.copy())).isNull();

        var next = order();
        assertThat(reserve(held.copy(), held.user().id(), next, 5_000).status()).as("free for the next order").isEqualTo(200);
        assertThat(confirm(held.copy(), late).code()).isEqualTo("RESERVED_BY_ANOTHER_ORDER");
        assertThat(confirm(held.copy(), next).json().get("state").asString()).isEqualTo("USED");
        assertBooksBalance(held.coupon());
    }

    @Test
    void refusesWithStableCodesAndWritesNothing() {
        var held = held(Map.of("discountAmount", 1_000, "minOrderAmount", 20_000, "validDays", 7));
        var other = fixtures.user();
        var order = order();

        assertThat(reserve(held.copy(), other.id(), order, 30_000).code()).isEqualTo("NOT_HOLDER");
        assertThat(reserve(999_999_999_999L, held.user().id(), order, 30_000).code()).isEqualTo("COPY_NOT_FOUND");
        assertThat(reserve(held.copy(), held.user().id(), order, 19_999).code()).isEqualTo("BELOW_MINIMUM_ORDER");
        assertThat(confirm(held.copy(), order).code()).isEqualTo("NOT_RESERVED");
        for (var bad : List.<Map<String, Object>>of(
                Map.of("userCouponId", Long.toString(held.copy()), "userId", Long.toString(held.user().id()), "orderId", order, "orderAmount", -5),
                Map.of("userCouponId", Long.toString(held.copy()), "userId", Long.toString(held.user().id()), "orderId", order,
                        "orderAmount", 5_000_000_000_000L),
                Map.of("userCouponId", Long.toString(held.copy()), "userId", Long.toString(held.user().id()), "orderId", "bad order id!",
                        "orderAmount", 30_000),
                Map.of("userCouponId", "12x", "userId", Long.toString(held.user().id()), "orderId", order, "orderAmount", 30_000),
                Map.of("userCouponId", Long.toString(held.copy()), "userId", Long.toString(held.user().id()), "orderId", order,
                        "orderAmount", "30000"))) {
            var refused = call(port(), "reserve", bad, CLIENT);
            assertThat(refused.status()).as(bad + " " + refused.body()).isEqualTo(400);
            assertThat(refused.isProblem()).isTrue();
        }
        assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM redemption_events WHERE user_coupon_id = ?", Integer.class, held.copy())).isZero();

        clock.advance(Duration.ofDays(8));
        assertThat(reserve(held.copy(), held.user().id(), order, 30_000).code()).isEqualTo("COPY_EXPIRED");
        assertThat(stateOf(held)).isEqualTo("EXPIRED");
        assertThat(api.get("/api/v1/users/me/coupons?state=expired", tokenOf(held.user())).json().size()).isEqualTo(1);
        assertBooksBalance(held.coupon());
        assertThat(audit.audit(held.coupon()).orElseThrow().books().expired()).isEqualTo(1);
    }

    @Test
    void onlyAnOrderSystemMayRedeemNeverAShoppersToken() {
        var held = fixed(1_000);
        var body = Map.<String, Object>of("userCouponId", Long.toString(held.copy()), "userId", Long.toString(held.user().id()),
                "orderId", order(), "orderAmount", 5_000);
        assertThat(call(port(), "reserve", body, null).status()).isEqualTo(401);
        assertThat(call(port(), "reserve", body, "Bearer " + held.user().token()).status()).isEqualTo(401);
        var wrong = "Basic " + Base64.getEncoder().encodeToString("test-orders:guess".getBytes(StandardCharsets.UTF_8));
        var refused = call(port(), "reserve", body, wrong);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.isProblem()).isTrue();
        assertThat(stateOf(held)).isEqualTo("ISSUED");
    }

    @Test
    void termsChangeOnlyBeforeAnyCopyIsIssued() {
        var admin = fixtures.admin().token();
        var now = clock.instant();
        var created = api.post("/api/v1/coupons", admin, Map.of("name", "terms", "discountAmount", 1_000, "totalQuantity", 5,
                "issueStartsAt", now.minusSeconds(60).toString(), "issueEndsAt", now.plus(Duration.ofDays(1)).toString()));
        long coupon = created.json().get("id").asLong();
        var percent = Map.<String, Object>of("discountType", "percent", "discountPercent", 20, "maxDiscount", 5_000);
        var changed = api.put("/api/v1/coupons/" + coupon + "/terms", admin, percent);
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json().get("discountType").asString()).isEqualTo("percent");

        assertThat(api.post("/api/v1/coupons/" + coupon + "/issue", fixtures.user().token(), null).status()).isEqualTo(201);
        var locked = api.put("/api/v1/coupons/" + coupon + "/terms", admin, Map.of("discountAmount", 9_000));
        assertThat(locked.code()).isEqualTo("TERMS_LOCKED");
        assertThat(api.get("/api/v1/coupons/" + coupon, null).json().get("discountPercent").asInt()).isEqualTo(20);
        var incomplete = api.put("/api/v1/coupons/" + coupon + "/terms", admin, Map.of("discountType", "percent", "discountPercent", 20));
        assertThat(incomplete.status()).isEqualTo(400);
    }

    @Test
    void twoInstancesSpendACopyOnceAndAnInstanceGoneStrandsNothing() {
        var held = fixed(1_000);
        try (var other = new SpringApplicationBuilder(CouponrushApplication.class)
                .run("--server.port=0", "--couponrush.node-id=8", "--logging.level.io.couponrush.issuance.IssuanceService=error",
                        "--couponrush.redemption.clients[0].id=test-orders",
                        "--couponrush.redemption.clients[0].secret-sha256=8c5cb6003133e6d5e77a0023cfc21f1a7803d6cf346be4529aeb3ae97910dde2")) {
            int otherPort = other.getBean(Environment.class).getRequiredProperty("local.server.port", Integer.class);
            var first = order();
            var reserved = call(otherPort, "reserve", Map.of("userCouponId", Long.toString(held.copy()), "userId",
                    Long.toString(held.user().id()), "orderId", first, "orderAmount", 5_000), CLIENT);
            assertThat(reserved.status()).as(reserved.body()).isEqualTo(200);
            assertThat(reserve(held.copy(), held.user().id(), order(), 5_000).code()).isEqualTo("RESERVED_BY_ANOTHER_ORDER");
        }
        // the instance that took the hold is gone before the confirmation: the hold lapses, nothing is stranded
        clock.advance(Duration.ofMinutes(16));
        var next = order();
        assertThat(reserve(held.copy(), held.user().id(), next, 5_000).status()).isEqualTo(200);
        assertThat(confirm(held.copy(), next).json().get("state").asString()).isEqualTo("USED");
        assertBooksBalance(held.coupon());
    }

    @Test
    void theNaiveReadThenUpdateSpendsOneCopyTwiceAndTheAuditSaysSo() throws Exception {
        // found by a few tries at most: two orders must both read "free" before either writes
        for (int attempt = 0; attempt < 50; attempt++) {
            var held = fixed(1_000);
            var start = new CountDownLatch(1);
            var orders = List.of(order(), order());
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                var futures = orders.stream().map(order -> pool.submit(() -> {
                    start.await();
                    var r = call(port(), "reserve", Map.of("userCouponId", Long.toString(held.copy()), "userId",
                            Long.toString(held.user().id()), "orderId", order, "orderAmount", 5_000, "strategy", "naive"), CLIENT);
                    return r.status() == 200 ? call(port(), "confirm", Map.of("userCouponId", Long.toString(held.copy()),
                            "orderId", order, "strategy", "naive"), CLIENT).status() : r.status();
                })).toList();
                start.countDown();
                var statuses = new ArrayList<Integer>();
                for (var future : futures) {
                    statuses.add(future.get());
                }
                if (statuses.equals(List.of(200, 200))) {
                    var books = audit.audit(held.coupon()).orElseThrow().books();
                    assertThat(books.usedTwice()).isEqualTo(1);
                    assertThat(books.balanced()).isFalse();
                    return;
                }
            }
        }
        throw new AssertionError("the naive redemption never spent a copy twice in 50 races");
    }
}
