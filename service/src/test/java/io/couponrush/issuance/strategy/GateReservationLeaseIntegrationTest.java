package io.couponrush.issuance.strategy;

import java.time.Duration;
import java.time.Instant;

import io.couponrush.IntegrationTest;
import io.couponrush.coupon.CouponService;
import io.couponrush.coupon.CouponTerms;
import io.couponrush.issuance.IssueOutcome;
import io.couponrush.issuance.IssueRequest;
import io.couponrush.issuance.UserCouponStore;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A redis-gate admission is a lease. These tests play the instance that dies between admission and
 * commit (or between commit and settling) by calling the gate the way a request would and then
 * stopping, move the clock past the lease, and let a sweeper settle what is left.
 */
class GateReservationLeaseIntegrationTest extends IntegrationTest {

    private static final Duration PAST_THE_LEASE = Duration.ofSeconds(6); // the lease is 5 s

    private CouponGate gate() {
        return context.getBean(CouponGate.class);
    }

    private CouponTerms terms(long coupon) {
        return context.getBean(CouponService.class).terms(coupon).orElseThrow();
    }

    /** Admits a user as an instance would, then "crashes": no commit, no settle. Answers the reservation's row id. */
    private long admitAndDie(long coupon, long userId) {
        long reservation = context.getBean(UserCouponStore.class).newRowId();
        Instant now = clock.instant();
        var admission = gate().admit(terms(coupon), userId, now, reservation, now.plus(Duration.ofSeconds(5)));
        assertThat(admission.verdict()).isEqualTo(CouponGate.Verdict.ADMITTED);
        return reservation;
    }

    private String issue(long coupon, String token) {
        return api.post("/api/v1/coupons/" + coupon + "/issue", token, null).code();
    }

    @Test
    void aDeadInstancesCopyGoesBackAfterTheLease() {
        long coupon = fixtures.coupon("redis-gate", 3, 1);
        var dead = fixtures.user();
        admitAndDie(coupon, dead.id());
        assertThat(gate().inspect(coupon)).isEqualTo(new CouponGate.GateState(true, 2, 1, 0, false));

        clock.advance(PAST_THE_LEASE);
        int settled = context.getBean(GateSweeper.class).sweep();

        assertThat(settled).isEqualTo(1);
        assertThat(gate().inspect(coupon)).isEqualTo(new CouponGate.GateState(true, 3, 0, 0, false));
        var users = fixtures.users(4);
        assertThat(users.stream().map(u -> issue(coupon, u.token())).toList())
                .containsExactly("ISSUED", "ISSUED", "ISSUED", "COUPON_SOLD_OUT");
        assertThat(fixtures.remaining(coupon)).isZero();
        assertThat(audit.audit(coupon).orElseThrow().gate().inSync()).isTrue();
    }

    /** Nobody waits for the lease either: the database grants the stranded copy to whoever asks next. */
    @Test
    void aStrandedCopyIsSoldBeforeTheLeaseRunsOut() {
        long coupon = fixtures.coupon("redis-gate", 2, 1);
        admitAndDie(coupon, fixtures.user().id());
        var users = fixtures.users(3);

        var answers = users.stream().map(u -> issue(coupon, u.token())).toList();

        assertThat(answers).containsExactly("ISSUED", "ISSUED", "COUPON_SOLD_OUT");
        assertThat(fixtures.remaining(coupon)).isZero();
        // the dead reservation is still pending until its lease is over; then the books agree
        clock.advance(PAST_THE_LEASE);
        context.getBean(GateSweeper.class).sweep();
        var report = audit.audit(coupon).orElseThrow();
        assertThat(report.gate()).isEqualTo(new io.couponrush.audit.AuditReport.Gate(true, 0, 0, 2, true, true));
    }

    /** Pending is not holding: the user whose reservation is in flight gets the database's answer, never a false ALREADY_ISSUED. */
    @Test
    void aUserWithAPendingReservationIsNotToldAlreadyIssued() {
        long coupon = fixtures.coupon("redis-gate", 5, 1);
        var user = fixtures.user();
        admitAndDie(coupon, user.id());

        var retry = api.post("/api/v1/coupons/" + coupon + "/issue", user.token(), null);
        var again = api.post("/api/v1/coupons/" + coupon + "/issue", user.token(), null);

        assertThat(retry.status()).isEqualTo(201); // the crashed attempt wrote nothing
        assertThat(again.code()).isEqualTo("ALREADY_ISSUED");
        assertThat(again.json().get("userCouponId").asLong()).isEqualTo(retry.json().get("userCouponId").asLong());
        clock.advance(PAST_THE_LEASE);
        context.getBean(GateSweeper.class).sweep();
        var report = audit.audit(coupon).orElseThrow();
        assertThat(report.consistent()).isTrue();
        assertThat(report.gate()).isEqualTo(new io.couponrush.audit.AuditReport.Gate(true, 4, 0, 1, false, true));
    }

    /** Committed, then the instance died before telling the gate: the sweeper finds the row and makes the user a holder. */
    @Test
    void aCommittedReservationBecomesAHolderWhenItsOwnerNeverSettledIt() {
        long coupon = fixtures.coupon("redis-gate", 5, 1);
        var user = fixtures.user();
        long reservation = admitAndDie(coupon, user.id());
        var committed = context.getBean(GroupCommitIssuer.class)
                .issueReserved(terms(coupon), IssueRequest.of(user.id()), reservation);
        assertThat(committed).isInstanceOf(IssueOutcome.Issued.class);

        clock.advance(PAST_THE_LEASE);
        context.getBean(GateSweeper.class).sweep();

        assertThat(gate().inspect(coupon)).isEqualTo(new CouponGate.GateState(true, 4, 0, 1, false));
        var retry = api.post("/api/v1/coupons/" + coupon + "/issue", user.token(), null);
        assertThat(retry.code()).isEqualTo("ALREADY_ISSUED");
        assertThat(retry.json().get("userCouponId").asLong()).isEqualTo(reservation);
        assertThat(fixtures.remaining(coupon)).isEqualTo(4);
    }

    /** A sweeper that claims reservations and dies leaves them to the next sweeper, a lease later. */
    @Test
    void reservationsClaimedByADeadSweeperComeDueAgain() {
        long coupon = fixtures.coupon("redis-gate", 2, 1);
        admitAndDie(coupon, fixtures.user().id());
        clock.advance(PAST_THE_LEASE);
        var now = clock.instant();
        assertThat(gate().due(coupon, now, now.plus(Duration.ofSeconds(5)), 10)).hasSize(1); // claimed, then "dies"

        var sweeper = context.getBean(GateSweeper.class);
        assertThat(sweeper.sweep()).isZero();
        clock.advance(PAST_THE_LEASE);
        assertThat(sweeper.sweep()).isEqualTo(1);

        assertThat(gate().inspect(coupon)).isEqualTo(new CouponGate.GateState(true, 2, 0, 0, false));
    }
}
