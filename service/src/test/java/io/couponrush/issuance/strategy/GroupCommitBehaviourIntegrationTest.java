package io.couponrush.issuance.strategy;

import java.util.List;
import java.util.Map;

import io.couponrush.IntegrationTest;
import io.couponrush.coupon.CouponService;
import io.couponrush.issuance.IssuanceService;
import io.couponrush.issuance.IssueOutcome;
import io.couponrush.support.TestApi;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;

import static io.couponrush.issuance.strategy.IssuerContractIntegrationTest.concurrently;
import static io.couponrush.issuance.strategy.IssuerContractIntegrationTest.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class GroupCommitBehaviourIntegrationTest extends IntegrationTest {

    private GroupCommitIssuer issuer() {
        return context.getBean(GroupCommitIssuer.class);
    }

    private GroupCommitIssuer.Settlement settle(io.couponrush.coupon.CouponTerms coupon, List<Long> users) {
        return issuer().settle(coupon, users.stream().map(GroupCommitIssuer.Claim::of).toList());
    }

    private io.couponrush.coupon.CouponTerms terms(long coupon) {
        return context.getBean(CouponService.class).terms(coupon).orElseThrow();
    }

    /** A holder, a user asking twice, three eligible users and one too many, in one batch. */
    @Test
    void settlesAMixedBatchExactly() {
        long coupon = fixtures.coupon("batched", 4, 1);
        var u = fixtures.users(5);
        assertThat(api.post("/api/v1/coupons/" + coupon + "/issue", u.get(0).token(), null).status()).isEqualTo(201);

        var settlement = settle(terms(coupon),
                List.of(u.get(0).id(), u.get(1).id(), u.get(1).id(), u.get(2).id(), u.get(3).id(), u.get(4).id()));

        assertThat(settlement.outcomes()).extracting(IssueOutcome::code).containsExactly(
                "ALREADY_ISSUED", "ISSUED", "ALREADY_ISSUED", "ISSUED", "ISSUED", "COUPON_SOLD_OUT");
        assertThat(settlement.remainingAfter()).isZero();
        assertThat(fixtures.rows(coupon)).isEqualTo(4);
        assertThat(fixtures.remaining(coupon)).isZero();
        for (var user : u.subList(0, 4)) {
            assertThat(fixtures.rowsOf(coupon, user.id())).isEqualTo(1);
        }
        assertThat(audit.audit(coupon).orElseThrow().consistent()).isTrue();
    }

    /** Within one group commit, copies go to the earliest arrivals, whatever order the queue saw them in. */
    @Test
    void aBatchGrantsTheEarliestArrivalsFirst() {
        long coupon = fixtures.coupon("batched", 2, 1);
        var u = fixtures.users(3);
        var t0 = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);

        // queued latest arrival first
        var settlement = issuer().settle(terms(coupon), List.of(
                new GroupCommitIssuer.Claim(new io.couponrush.issuance.IssueRequest(u.get(0).id(), null, t0.plusMillis(3)), null),
                new GroupCommitIssuer.Claim(new io.couponrush.issuance.IssueRequest(u.get(1).id(), null, t0.plusMillis(2)), null),
                new GroupCommitIssuer.Claim(new io.couponrush.issuance.IssueRequest(u.get(2).id(), null, t0.plusMillis(1)), null)));

        assertThat(settlement.outcomes()).extracting(IssueOutcome::code)
                .containsExactly("COUPON_SOLD_OUT", "ISSUED", "ISSUED");
        assertThat(fixtures.rowsOf(coupon, u.get(0).id())).isZero();
    }

    /** Copy numbers count up for a limit above one, across batches and within one. */
    @Test
    void grantsUpToTheLimitOfSeveralCopies() {
        long coupon = fixtures.coupon("batched", 10, 2);
        long user = fixtures.user().id();

        var first = settle(terms(coupon), List.of(user));
        var second = settle(terms(coupon), List.of(user, user));

        assertThat(first.outcomes()).extracting(IssueOutcome::code).containsExactly("ISSUED");
        assertThat(second.outcomes()).extracting(IssueOutcome::code).containsExactly("ISSUED", "ALREADY_ISSUED");
        assertThat(fixtures.rowsOf(coupon, user)).isEqualTo(2);
        assertThat(fixtures.remaining(coupon)).isEqualTo(8);
    }

    /** One grant of the batch cannot be written (no such user): the whole batch rolls back, nothing stays. */
    @Test
    void aFailingCommitLeavesNothing() {
        long coupon = fixtures.coupon("batched", 10, 1);
        var u = fixtures.users(2);
        var before = fixtures.tableCounts();

        assertThatExceptionOfType(DataIntegrityViolationException.class).isThrownBy(() ->
                settle(terms(coupon), List.of(u.get(0).id(), Long.MAX_VALUE - 1, u.get(1).id())));

        assertThat(fixtures.tableCounts()).isEqualTo(before);
        assertThat(fixtures.remaining(coupon)).isEqualTo(10);
    }

    /** Through the queue, the failed batch's caller gets a defined answer, and the lane keeps serving. */
    @Test
    void aFailedBatchAnswersItsCallersAndTheLaneGoesOn() {
        long coupon = fixtures.coupon("batched", 10, 1);
        var issuance = context.getBean(IssuanceService.class);

        var failed = issuance.issue(coupon, Long.MAX_VALUE - 1);
        var next = issuance.issue(coupon, fixtures.user().id());

        assertThat(failed).isInstanceOf(IssueOutcome.Failed.class);
        assertThat(next).isInstanceOf(IssueOutcome.Issued.class);
        assertThat(fixtures.rows(coupon)).isEqualTo(1);
        assertThat(fixtures.remaining(coupon)).isEqualTo(9);
    }

    /** Two service instances on one database hammer one coupon: the row lock serializes their batches. */
    @ParameterizedTest
    @ValueSource(strings = {"batched", "redis-gate"})
    void twoInstancesNeverOversell(String strategy) throws Exception {
        long coupon = fixtures.coupon(strategy, 150, 1);
        var users = fixtures.users(400);
        try (var second = new SecondInstance()) {
            var other = new TestApi(second.port());

            var answers = concurrently(users.size(), i ->
                    (i % 2 == 0 ? api : other).post("/api/v1/coupons/" + coupon + "/issue", users.get(i).token(), null));

            var codes = count(answers);
            System.out.printf("[%s] two instances, 400 users on stock 150: %s%n", strategy, codes);
            assertThat(codes).containsExactlyInAnyOrderEntriesOf(Map.of("ISSUED", 150, "COUPON_SOLD_OUT", 250));
        }
        assertThat(fixtures.rows(coupon)).isEqualTo(150);
        assertThat(fixtures.remaining(coupon)).isZero();
        assertThat(audit.audit(coupon).orElseThrow().consistent()).isTrue();
    }
}
