package io.couponrush.issuance.strategy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.couponrush.IntegrationTest;
import io.couponrush.coupon.Strategy;
import io.couponrush.issuance.IssuanceService;
import io.couponrush.support.TestApi;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The promise every correct strategy keeps, checked the same way for each: real HTTP, real
 * threads, real MariaDB and Redis, and the invariants read back from the database afterwards.
 * Each strategy's test class extends this one.
 */
abstract class IssuerContractIntegrationTest extends IntegrationTest {

    /** Answers a correct strategy may give while stock remains: "nothing written, try again". */
    private static final Set<String> SOFT = Set.of("CONTENTION", "LOCK_TIMEOUT", "OVERLOADED");

    abstract Strategy strategy();

    /** More of the coupon's definition, for a variant of a strategy (its sub-gates). */
    Map<String, Object> couponSettings() {
        return Map.of();
    }

    long coupon(int stock, int perUserLimit) {
        var now = clock.instant();
        return coupon(stock, perUserLimit, now.minus(Duration.ofMinutes(1)), now.plus(Duration.ofDays(1)));
    }

    long coupon(int stock, int perUserLimit, java.time.Instant startsAt, java.time.Instant endsAt) {
        return fixtures.coupon(strategy().id(), stock, perUserLimit, startsAt, endsAt, couponSettings());
    }

    /** Whether this strategy may turn requests away with a soft answer while stock remains. */
    boolean mayGiveUp() {
        return false;
    }

    @Test
    void neverOversellsUnderBurst() throws Exception {
        long coupon = coupon(100, 1);
        var users = fixtures.users(200);

        var answers = concurrently(users.size(), i -> api.post(issuePath(coupon), users.get(i).token(), null));

        var codes = count(answers);
        int issued = codes.getOrDefault("ISSUED", 0);
        System.out.printf("[%s] 200 users on stock 100: %s, remaining %d%n", strategy(), codes, fixtures.remaining(coupon));
        assertEveryAnswerDefined(answers);
        assertEveryGrantCommitted(answers);
        assertThat(fixtures.rows(coupon)).isEqualTo(issued);
        assertThat(fixtures.remaining(coupon)).isEqualTo(100 - issued);
        assertThat(audit.audit(coupon).orElseThrow().consistent()).isTrue();
        if (mayGiveUp()) {
            assertThat(codes.keySet()).isSubsetOf(union(Set.of("ISSUED", "COUPON_SOLD_OUT"), SOFT));
            // Sold out is only ever answered once stock really is gone.
            assertThat(codes.getOrDefault("COUPON_SOLD_OUT", 0) == 0 || fixtures.remaining(coupon) == 0).isTrue();
        } else {
            assertThat(codes).containsExactlyInAnyOrderEntriesOf(Map.of("ISSUED", 100, "COUPON_SOLD_OUT", 100));
            assertThat(fixtures.remaining(coupon)).isZero();
        }
    }

    @Test
    void rejectsSecondIssueForSameUser() throws Exception {
        long coupon = coupon(100, 1);
        var user = fixtures.user();

        var answers = concurrently(50, i -> api.post(issuePath(coupon), user.token(), null));

        var codes = count(answers);
        System.out.printf("[%s] one user, 50 requests: %s%n", strategy(), codes);
        assertEveryAnswerDefined(answers);
        assertEveryGrantCommitted(answers);
        assertThat(codes.get("ISSUED")).isEqualTo(1);
        assertThat(codes.keySet()).isSubsetOf(mayGiveUp()
                ? union(Set.of("ISSUED", "ALREADY_ISSUED"), SOFT)
                : Set.of("ISSUED", "ALREADY_ISSUED"));
        assertThat(fixtures.rowsOf(coupon, user.id())).isEqualTo(1);
        assertThat(fixtures.remaining(coupon)).isEqualTo(99);
        assertThat(audit.audit(coupon).orElseThrow().consistent()).isTrue();
    }

    @Test
    void answersSoldOutOnceStockIsGone() {
        long coupon = coupon(1, 1);

        var first = api.post(issuePath(coupon), fixtures.user().token(), null);
        var second = api.post(issuePath(coupon), fixtures.user().token(), null);

        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.isProblem()).isTrue();
        assertThat(second.code()).isEqualTo("COUPON_SOLD_OUT");
        assertThat(fixtures.rows(coupon)).isEqualTo(1);
        assertThat(fixtures.remaining(coupon)).isZero();
    }

    @Test
    void issuesOnlyInsideTheWindow() {
        var now = clock.instant();
        long coupon = coupon(10, 1, now.plus(Duration.ofHours(1)), now.plus(Duration.ofHours(2)));
        var user = fixtures.user();

        var early = api.post(issuePath(coupon), user.token(), null);
        clock.advance(Duration.ofMinutes(90));
        var inside = api.post(issuePath(coupon), fixtures.user().token(), null);
        clock.advance(Duration.ofHours(1));
        var late = api.post(issuePath(coupon), fixtures.user().token(), null);

        assertThat(early.code()).isEqualTo("ISSUE_NOT_OPEN");
        assertThat(early.status()).isEqualTo(409);
        assertThat(inside.status()).isEqualTo(201);
        assertThat(late.code()).isEqualTo("ISSUE_CLOSED");
        assertThat(fixtures.rows(coupon)).isEqualTo(1);
        assertThat(fixtures.remaining(coupon)).isEqualTo(9);
    }

    @Test
    void answersNotFoundForUnknownCoupon() {
        var answer = api.post(issuePath(Long.MAX_VALUE - 7), fixtures.user().token(), null);

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.code()).isEqualTo("COUPON_NOT_FOUND");
    }

    /** I6: a holder asking again after the sell-out hears what it holds, with the grant, never sold out. */
    @Test
    void tellsAHolderWhatItHoldsAfterTheSellOut() {
        long coupon = coupon(2, 1);
        var holder = fixtures.user();
        var first = api.post(issuePath(coupon), holder.token(), null);
        assertThat(api.post(issuePath(coupon), fixtures.user().token(), null).status()).isEqualTo(201);

        var again = api.post(issuePath(coupon), holder.token(), null);
        var stranger = api.post(issuePath(coupon), fixtures.user().token(), null);

        assertThat(first.status()).isEqualTo(201);
        assertThat(again.code()).isEqualTo("ALREADY_ISSUED");
        assertThat(again.json().get("userCouponId").asLong()).isEqualTo(first.json().get("userCouponId").asLong());
        assertThat(again.json().get("issuedAt").asString()).isEqualTo(first.json().get("issuedAt").asString());
        assertThat(again.json().get("copiesHeld").asInt()).isEqualTo(1);
        assertThat(stranger.code()).isEqualTo("COUPON_SOLD_OUT");
        assertThat(fixtures.remaining(coupon)).isZero();
    }

    /** The same user and Idempotency-Key answer the original grant, for a limit of 1 and without a limit. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 0, 3})
    void replaysTheOriginalGrantForTheSameKey(int perUserLimit) {
        long coupon = coupon(10, perUserLimit);
        var user = fixtures.user();
        var key = java.util.UUID.randomUUID().toString();

        var first = api.postWithHeaders(issuePath(coupon), user.token(), Map.of("Idempotency-Key", key));
        var retry = api.postWithHeaders(issuePath(coupon), user.token(), Map.of("Idempotency-Key", key));
        var other = api.postWithHeaders(issuePath(coupon), user.token(), Map.of("Idempotency-Key", key + "-2"));
        var retryAfterOther = api.postWithHeaders(issuePath(coupon), user.token(), Map.of("Idempotency-Key", key));

        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(retry.json().get("userCouponId").asLong()).isEqualTo(first.json().get("userCouponId").asLong());
        assertThat(retryAfterOther.json().get("userCouponId").asLong()).isEqualTo(first.json().get("userCouponId").asLong());
        if (perUserLimit == 1) {
            assertThat(other.code()).isEqualTo("ALREADY_ISSUED");
            assertThat(fixtures.rowsOf(coupon, user.id())).isEqualTo(1);
        } else {
            assertThat(other.status()).isEqualTo(201); // a new key is a new request: a second copy
            assertThat(fixtures.rowsOf(coupon, user.id())).isEqualTo(2);
        }
        assertThat(fixtures.remaining(coupon) + fixtures.rows(coupon)).isEqualTo(10);
    }

    /** A client retrying one request many times at once takes one copy, even without a per-user limit. */
    @Test
    void concurrentRetriesWithOneKeyTakeOneCopy() throws Exception {
        long coupon = coupon(100, 0);
        var user = fixtures.user();
        var key = java.util.UUID.randomUUID().toString();

        var answers = concurrently(20, i -> api.postWithHeaders(issuePath(coupon), user.token(), Map.of("Idempotency-Key", key)));

        var granted = answers.stream().filter(a -> a.status() == 201)
                .map(a -> a.json().get("userCouponId").asLong()).distinct().toList();
        System.out.printf("[%s] one key, 20 requests at once: %s%n", strategy(), count(answers));
        assertEveryAnswerDefined(answers);
        assertThat(granted).hasSize(1);
        assertThat(fixtures.rowsOf(coupon, user.id())).isEqualTo(1);
        assertThat(fixtures.remaining(coupon)).isEqualTo(99);
        if (!mayGiveUp()) {
            assertThat(count(answers)).containsExactlyEntriesOf(Map.of("ISSUED", 20));
        }
    }

    /** A key names one request: used again for another coupon it is refused, and nothing is written. */
    @Test
    void refusesAKeyReusedForAnotherCoupon() {
        long coupon = coupon(5, 1);
        long another = coupon(5, 1);
        var user = fixtures.user();
        var key = java.util.UUID.randomUUID().toString();
        assertThat(api.postWithHeaders(issuePath(coupon), user.token(), Map.of("Idempotency-Key", key)).status()).isEqualTo(201);

        var reused = api.postWithHeaders(issuePath(another), user.token(), Map.of("Idempotency-Key", key));

        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.code()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        assertThat(fixtures.rows(another)).isZero();
        assertThat(fixtures.remaining(another)).isEqualTo(5);
    }

    /** The seeds' JUnit run: stock 10,000, 10 threads, 1,000 attempts each, one account, no per-user limit. */
    @Test
    void keepsCountsExactInTheSeedsJUnitSetting() throws Exception {
        long coupon = coupon(10_000, 0);
        long user = fixtures.user().id();
        var issuance = context.getBean(IssuanceService.class);

        var outcomes = new ConcurrentHashMap<String, Integer>();
        try (var pool = Executors.newFixedThreadPool(10)) {
            var start = new CountDownLatch(1);
            var workers = new ArrayList<Future<?>>();
            for (int t = 0; t < 10; t++) {
                workers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 1_000; i++) {
                        outcomes.merge(issuance.issue(coupon, user).code(), 1, Integer::sum);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (var worker : workers) {
                worker.get(); // a worker that threw fails the test here, not silently
            }
        }

        int issued = outcomes.getOrDefault("ISSUED", 0);
        int rows = fixtures.rows(coupon);
        int decremented = 10_000 - fixtures.remaining(coupon);
        System.out.printf("[%s] seeds' JUnit setting: outcomes %s, rows %d, decremented %d%n",
                strategy(), new TreeMap<>(outcomes), rows, decremented);
        assertThat(outcomes.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(10_000);
        assertThat(rows).isEqualTo(decremented).isEqualTo(issued);
        assertThat(audit.audit(coupon).orElseThrow().consistent()).isTrue();
        if (!mayGiveUp()) {
            assertThat(issued).isEqualTo(10_000);
        }
    }

    static String issuePath(long coupon) {
        return "/api/v1/coupons/" + coupon + "/issue";
    }

    /** Runs n calls at once: all threads released together by one latch. */
    static <T> List<T> concurrently(int n, java.util.function.IntFunction<T> call) throws Exception {
        var start = new CountDownLatch(1);
        var futures = new ArrayList<Future<T>>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(threads.submit(() -> {
                    start.await();
                    return call.apply(index);
                }));
            }
            start.countDown();
            var results = new ArrayList<T>();
            for (var future : futures) {
                results.add(future.get());
            }
            return results;
        }
    }

    static Map<String, Integer> count(List<TestApi.Response> answers) {
        var counts = new TreeMap<String, Integer>();
        answers.forEach(a -> counts.merge(a.code(), 1, Integer::sum));
        return counts;
    }

    /** I5: every answer is a 201 or a problem+json with a code. */
    static void assertEveryAnswerDefined(List<TestApi.Response> answers) {
        for (var answer : answers) {
            if (answer.status() != 201) {
                assertThat(answer.isProblem()).as(answer.body()).isTrue();
                assertThat(answer.json().get("code")).as(answer.body()).isNotNull();
            }
        }
    }

    /** I3: every 201 names a row that is in the database. */
    void assertEveryGrantCommitted(List<TestApi.Response> answers) {
        answers.stream().filter(a -> a.status() == 201).forEach(a ->
                assertThat(fixtures.rowExists(a.json().get("userCouponId").asLong())).isTrue());
    }

    static Set<String> union(Set<String> a, Set<String> b) {
        var all = new java.util.HashSet<>(a);
        all.addAll(b);
        return all;
    }

}
