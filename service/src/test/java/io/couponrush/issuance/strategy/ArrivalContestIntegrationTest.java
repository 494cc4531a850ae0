package io.couponrush.issuance.strategy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.couponrush.IntegrationTest;
import io.couponrush.coupon.CouponService;
import io.couponrush.coupon.CouponTerms;
import io.couponrush.infra.Dependencies;
import io.couponrush.issuance.IssueOutcome;
import io.couponrush.issuance.IssueRequest;
import io.couponrush.issuance.IssueTransactions;
import io.couponrush.issuance.UserCouponStore;
import io.couponrush.issuance.strategy.Contenders.Backlog;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * First come, first served across instances (batched): the copies go to the earliest arrivals of all
 * instances taken together, not to whichever instance's batch takes the row lock first.
 */
class ArrivalContestIntegrationTest extends IntegrationTest {

    private static final long RIVAL = 42L;

    @AfterEach
    void forgetRivals() {
        jdbc().update("DELETE FROM issue_contenders");
    }

    private JdbcTemplate jdbc() {
        return context.getBean(JdbcTemplate.class);
    }

    private CouponTerms terms(long coupon) {
        return context.getBean(CouponService.class).terms(coupon).orElseThrow();
    }

    private GroupCommitIssuer issuer() {
        return context.getBean(GroupCommitIssuer.class);
    }

    /** Another instance of the service: its own lanes and its own identity in issue_contenders, same database. */
    private GroupCommitIssuer anotherInstance() {
        var settings = context.getBean(BatchSettings.class);
        var jdbc = context.getBean(JdbcClient.class);
        return new GroupCommitIssuer(jdbc, clock, new Contenders(jdbc, clock, settings),
                context.getBean(IssueTransactions.class), context.getBean(UserCouponStore.class), settings,
                context.getBean(Dependencies.class), new SimpleMeterRegistry());
    }

    private void rivalHolds(long coupon, Instant earliest, int pending, Instant until) {
        jdbc().update("INSERT INTO issue_contenders (coupon_id, instance_id, earliest_arrival, pending, expires_at) "
                + "VALUES (?, ?, ?, ?, ?)", coupon, RIVAL, Contenders.micros(earliest), pending, until.toEpochMilli());
    }

    private static GroupCommitIssuer.Claim claim(long user, Instant arrivedAt) {
        return new GroupCommitIssuer.Claim(new IssueRequest(user, null, arrivedAt), null);
    }

    private static GroupCommitIssuer.Contest contesting() {
        return new GroupCommitIssuer.Contest(true, true, () -> Backlog.NONE);
    }

    @Test
    void aBatchThatWouldSellOutLeavesWhatArrivedAfterAnotherInstancesEarliestUndecided() {
        long coupon = fixtures.coupon("batched", 3, 1);
        var u = fixtures.users(3);
        var t0 = clock.instant().truncatedTo(ChronoUnit.MICROS);
        rivalHolds(coupon, t0, 5, clock.instant().plusSeconds(60));

        var settlement = issuer().settle(terms(coupon), List.of(
                claim(u.get(0).id(), t0.plusMillis(2)), claim(u.get(1).id(), t0.minusMillis(2)), claim(u.get(2).id(), t0.plusMillis(1))),
                contesting());

        assertThat(settlement.outcomes().get(1)).isInstanceOf(IssueOutcome.Issued.class);
        assertThat(settlement.outcomes().get(0)).isNull();
        assertThat(settlement.outcomes().get(2)).isNull();
        assertThat(settlement.remainingAfter()).isEqualTo(2);
        assertThat(fixtures.rows(coupon)).isEqualTo(1);
        // what it left undecided is published for the others, in the same transaction
        assertThat(jdbc().queryForList("SELECT earliest_arrival, pending FROM issue_contenders WHERE coupon_id = ? AND instance_id <> ?",
                coupon, RIVAL)).singleElement().satisfies(row -> {
                    assertThat(row.get("earliest_arrival")).isEqualTo(Contenders.micros(t0.plusMillis(1)));
                    assertThat(((Number) row.get("pending")).intValue()).isEqualTo(2);
                });
    }

    @Test
    void withStockForEveryoneNobodyWaits() {
        long coupon = fixtures.coupon("batched", 10, 1);
        var u = fixtures.users(2);
        var t0 = clock.instant().truncatedTo(ChronoUnit.MICROS);
        rivalHolds(coupon, t0, 5, clock.instant().plusSeconds(60));

        var settlement = issuer().settle(terms(coupon),
                List.of(claim(u.get(0).id(), t0.plusMillis(1)), claim(u.get(1).id(), t0.plusMillis(2))), contesting());

        assertThat(settlement.outcomes()).allSatisfy(outcome -> assertThat(outcome).isInstanceOf(IssueOutcome.Issued.class));
        // nothing left undecided: no row of its own
        assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM issue_contenders WHERE coupon_id = ?", Integer.class, coupon))
                .isEqualTo(1);
    }

    @Test
    void anExpiredRivalHoldsNobodyBack() {
        long coupon = fixtures.coupon("batched", 1, 1);
        long user = fixtures.user().id();
        var t0 = clock.instant().truncatedTo(ChronoUnit.MICROS);
        rivalHolds(coupon, t0, 5, clock.instant().minusMillis(1));

        var settlement = issuer().settle(terms(coupon), List.of(claim(user, t0.plusMillis(1))), contesting());

        assertThat(settlement.outcomes()).singleElement().isInstanceOf(IssueOutcome.Issued.class);
    }

    @Test
    void aRivalThatNeverComesBackDelaysButNeverStrandsARequest() throws Exception {
        long coupon = fixtures.coupon("batched", 1, 1);
        long user = fixtures.user().id();
        var t0 = clock.instant().truncatedTo(ChronoUnit.MICROS);
        rivalHolds(coupon, t0.minusMillis(5), 1, clock.instant().plusSeconds(3600));

        // contest-max-wait (1 s) bounds the wait for an instance that froze holding an earlier arrival
        var outcome = CompletableFuture.supplyAsync(() -> issuer().issue(terms(coupon), new IssueRequest(user, null, t0)))
                .get(30, TimeUnit.SECONDS);

        assertThat(outcome).isInstanceOf(IssueOutcome.Issued.class);
        assertThat(fixtures.remaining(coupon)).isZero();
        assertThat(audit.audit(coupon).orElseThrow().consistent()).isTrue();
    }

    /**
     * The bench's failure, replayed: instance b's lane holds the two earliest arrivals (one in a batch
     * waiting for the row lock, one queued behind it) while instance a brings a batch of two later ones;
     * stock 2. Whichever batch gets the lock first, b's two win and a's wait their turn, then lose.
     */
    @Test
    void anotherInstancesEarlierArrivalsWinOverALaterBatch() throws Exception {
        long coupon = fixtures.coupon("batched", 2, 1);
        var u = fixtures.users(4);
        var terms = terms(coupon);
        var b = anotherInstance();
        var t0 = clock.instant().truncatedTo(ChronoUnit.MICROS);
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var rowLock = CouponRowLock.hold(jdbc(), coupon, threads);

            var first = CompletableFuture.supplyAsync(() -> b.issue(terms, new IssueRequest(u.get(0).id(), null, t0.plusMillis(1))), threads);
            awaitPublished(coupon, 1); // b's batch is on its way to the row lock; what comes now queues behind it
            var second = CompletableFuture.supplyAsync(() -> b.issue(terms, new IssueRequest(u.get(1).id(), null, t0.plusMillis(2))), threads);
            var later = CompletableFuture.supplyAsync(() -> issuer().settle(terms,
                    List.of(claim(u.get(2).id(), t0.plusMillis(3)), claim(u.get(3).id(), t0.plusMillis(4))), contesting()), threads);
            rowLock.close();

            assertThat(first.get(30, TimeUnit.SECONDS)).isInstanceOf(IssueOutcome.Issued.class);
            assertThat(second.get(30, TimeUnit.SECONDS)).isInstanceOf(IssueOutcome.Issued.class);
            assertThat(later.get(30, TimeUnit.SECONDS).outcomes()).containsExactly(null, null);
        }
        assertThat(fixtures.rowsOf(coupon, u.get(0).id())).isEqualTo(1);
        assertThat(fixtures.rowsOf(coupon, u.get(1).id())).isEqualTo(1);
        assertThat(fixtures.rows(coupon)).isEqualTo(2);
        assertThat(audit.audit(coupon).orElseThrow().consistent()).isTrue();
    }

    /**
     * Through the lanes of two instances, each holding a later arrival in a batch waiting for the row
     * lock and an earlier one queued behind it; stock 2. The two earliest win, one on each instance,
     * and both lanes withdraw once idle.
     */
    @Test
    void twoInstancesSellOutInArrivalOrderAndWithdraw() throws Exception {
        long coupon = fixtures.coupon("batched", 2, 1);
        var u = fixtures.users(4);
        var terms = terms(coupon);
        var a = issuer();
        var b = anotherInstance();
        var t0 = clock.instant().truncatedTo(ChronoUnit.MICROS);
        var answers = new CompletableFuture[4];
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var rowLock = CouponRowLock.hold(jdbc(), coupon, threads);
            // rank r arrived at t0 + r ms; ranks 2 (a) and 3 (b) reach their lanes first
            answers[2] = CompletableFuture.supplyAsync(() -> a.issue(terms, new IssueRequest(u.get(2).id(), null, t0.plusMillis(2))), threads);
            awaitPublished(coupon, 1);
            answers[0] = CompletableFuture.supplyAsync(() -> a.issue(terms, new IssueRequest(u.get(0).id(), null, t0)), threads);
            awaitQueued(a, coupon);
            answers[3] = CompletableFuture.supplyAsync(() -> b.issue(terms, new IssueRequest(u.get(3).id(), null, t0.plusMillis(3))), threads);
            awaitPublished(coupon, 2);
            answers[1] = CompletableFuture.supplyAsync(() -> b.issue(terms, new IssueRequest(u.get(1).id(), null, t0.plusMillis(1))), threads);
            awaitQueued(b, coupon);
            rowLock.close();

            var codes = new ArrayList<String>();
            for (var answer : answers) {
                codes.add(((IssueOutcome) answer.get(30, TimeUnit.SECONDS)).code());
            }
            assertThat(codes).containsExactly("ISSUED", "ISSUED", "COUPON_SOLD_OUT", "COUPON_SOLD_OUT");
        }
        assertThat(audit.audit(coupon).orElseThrow().consistent()).isTrue();
        assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM issue_contenders WHERE coupon_id = ?", Integer.class, coupon)).isZero();
    }

    private static void awaitQueued(GroupCommitIssuer instance, long coupon) {
        await().pollDelay(java.time.Duration.ZERO).pollInterval(java.time.Duration.ofMillis(1)).atMost(java.time.Duration.ofSeconds(30)).until(() -> instance.queuedFor(coupon) > 0);
        assertThat(instance.queuedFor(coupon)).as("the earlier request waits behind the lane's batch").isEqualTo(1);
    }

    /** Polls (no fixed sleep) until this many instances published an arrival for the coupon. */
    private void awaitPublished(long coupon, int instances) throws InterruptedException {
        await("the instances publish their arrivals").pollDelay(java.time.Duration.ZERO).pollInterval(java.time.Duration.ofMillis(1)).atMost(java.time.Duration.ofSeconds(30)).until(() ->
                jdbc().queryForObject("SELECT COUNT(*) FROM issue_contenders WHERE coupon_id = ?", Integer.class, coupon) >= instances);
    }
}
