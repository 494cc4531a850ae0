package io.couponrush.issuance.strategy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.couponrush.IntegrationTest;
import io.couponrush.coupon.CouponService;
import io.couponrush.coupon.CouponTerms;
import io.couponrush.infra.Dependencies;
import io.couponrush.issuance.IssueOutcome;
import io.couponrush.issuance.IssueRequest;
import io.couponrush.issuance.UserCouponStore;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gate's holder list can miss a committed grant (made while Redis was unreachable, committed after
 * its lease was swept, admitted again after a wait). None of that may make a holder hear
 * {@code COUPON_SOLD_OUT}, or a keyed retry hear anything but its original grant (I6, retries).
 */
class GateTruthIntegrationTest extends IntegrationTest {

    private CouponGate gate() {
        return context.getBean(CouponGate.class);
    }

    private CouponTerms terms(long coupon) {
        return context.getBean(CouponService.class).terms(coupon).orElseThrow();
    }

    private record Admitted(long reservation, long epoch) {
    }

    private Admitted admit(long coupon, long userId) {
        long reservation = context.getBean(UserCouponStore.class).newRowId();
        Instant now = clock.instant();
        var admission = gate().admit(terms(coupon), userId, now, reservation, now.plus(Duration.ofSeconds(5)));
        assertThat(admission.verdict()).isEqualTo(CouponGate.Verdict.ADMITTED);
        return new Admitted(reservation, admission.epoch());
    }

    private String issue(long coupon, String token) {
        return api.post("/api/v1/coupons/" + coupon + "/issue", token, null).code();
    }

    private void sellOut(long coupon, int users) {
        for (var user : fixtures.users(users)) {
            issue(coupon, user.token());
        }
        assertThat(fixtures.remaining(coupon)).isZero();
    }

    @Test
    void aRequestAdmittedAfterWaitingCommitsUnderTheReservationItWasAdmittedWith() throws Exception {
        long coupon = fixtures.coupon("redis-gate", 3, 1);
        var first = fixtures.user();
        var late = fixtures.user();
        var firstAdmitted = admit(coupon, first.id());
        admit(coupon, fixtures.user().id());
        admit(coupon, fixtures.user().id());

        var answer = CompletableFuture.supplyAsync(() -> api.post("/api/v1/coupons/" + coupon + "/issue", late.token(), null));
        var issuer = context.getBean(RedisGateIssuer.class);
        await("the request found no stock and waits").pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(30)).until(() -> issuer.hasWaitedOn(coupon));
        gate().returned(terms(coupon), first.id(), firstAdmitted.reservation(), firstAdmitted.epoch()); // a copy comes back

        assertThat(answer.get(30, TimeUnit.SECONDS).status()).isEqualTo(201);
        clock.advance(Duration.ofSeconds(6));
        context.getBean(GateSweeper.class).sweep(); // the two admissions never committed: their copies come back
        assertThat(audit.audit(coupon).orElseThrow().gate().inSync()).isTrue();
        sellOut(coupon, 4);
        assertThat(issue(coupon, late.token())).isEqualTo("ALREADY_ISSUED");
        assertThat(fixtures.rowsOf(coupon, late.id())).isEqualTo(1);
    }

    @Test
    void aGrantMadeWhileRedisWasUnreachableIsNeverToldSoldOut() {
        long coupon = fixtures.coupon("redis-gate", 2, 1);
        var holder = fixtures.user();
        issue(coupon, fixtures.user().token()); // the gate is built
        var dependencies = context.getBean(Dependencies.class);
        dependencies.redis().transitionToOpenState();
        var granted = api.postWithHeaders("/api/v1/coupons/" + coupon + "/issue", holder.token(), Map.of("Idempotency-Key", "k-x"));
        dependencies.redis().reset();
        assertThat(granted.status()).isEqualTo(201);
        sellOut(coupon, 2);

        var keyedRetry = api.postWithHeaders("/api/v1/coupons/" + coupon + "/issue", holder.token(), Map.of("Idempotency-Key", "k-x"));
        assertThat(keyedRetry.status()).isEqualTo(201);
        assertThat(keyedRetry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(keyedRetry.json().get("userCouponId").asText()).isEqualTo(granted.json().get("userCouponId").asText());
        assertThat(issue(coupon, holder.token())).isEqualTo("ALREADY_ISSUED");
        assertThat(fixtures.rowsOf(coupon, holder.id())).isEqualTo(1);
    }

    @Test
    void anOwnerThatCommitsAfterItsLeaseWasSweptIsStillAHolder() throws Exception {
        long coupon = fixtures.coupon("redis-gate", 2, 1);
        var slow = fixtures.user();
        issue(coupon, fixtures.user().token()); // the gate is built
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var rowLock = CouponRowLock.hold(context.getBean(JdbcTemplate.class), coupon, threads);
            var answer = CompletableFuture.supplyAsync(() -> api.post("/api/v1/coupons/" + coupon + "/issue", slow.token(), null), threads);
            await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(30)).until(() -> gate().inspect(coupon).pending() > 0);
            assertThat(gate().inspect(coupon).pending()).as("admitted, its commit waits for the row lock").isEqualTo(1);
            clock.advance(Duration.ofSeconds(6));
            context.getBean(GateSweeper.class).sweep(); // no row yet: the copy goes back
            assertThat(gate().inspect(coupon).pending()).isZero();
            rowLock.close();
            assertThat(answer.get(30, TimeUnit.SECONDS).status()).isEqualTo(201);
        }

        assertThat(audit.audit(coupon).orElseThrow().gate().inSync()).isTrue();
        sellOut(coupon, 3);
        assertThat(issue(coupon, slow.token())).isEqualTo("ALREADY_ISSUED");
    }

    /** Grants committed out of admission order leave the gate's count low; the retry of the older key still replays. */
    @Test
    void theOlderKeyedGrantOfAMultiCopyCouponIsReplayed() {
        long coupon = fixtures.coupon("redis-gate", 2, 0);
        var user = fixtures.user();
        var commit = context.getBean(GroupCommitIssuer.class);
        var one = admit(coupon, user.id());
        var two = admit(coupon, user.id());
        var second = ((IssueOutcome.Issued) commit.issueReserved(terms(coupon), new IssueRequest(user.id(), "k2"), two.reservation())).coupon();
        gate().granted(terms(coupon), user.id(), two.reservation(), two.epoch(), second, "k2");
        var first = ((IssueOutcome.Issued) commit.issueReserved(terms(coupon), new IssueRequest(user.id(), "k1"), one.reservation())).coupon();
        gate().granted(terms(coupon), user.id(), one.reservation(), one.epoch(), first, "k1");
        assertThat(issue(coupon, fixtures.user().token())).isEqualTo("COUPON_SOLD_OUT");

        var retry = api.postWithHeaders("/api/v1/coupons/" + coupon + "/issue", user.token(), Map.of("Idempotency-Key", "k1"));

        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.json().get("userCouponId").asText()).isEqualTo(Long.toString(first.userCouponId()));
    }
}
