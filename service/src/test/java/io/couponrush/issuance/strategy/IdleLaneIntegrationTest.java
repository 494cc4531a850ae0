package io.couponrush.issuance.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.Executors;

import io.couponrush.IntegrationTest;
import io.couponrush.issuance.IssuanceService;
import io.couponrush.issuance.IssueOutcome;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** A coupon's lane is dropped only when idle, and dropping it changes no answer. */
class IdleLaneIntegrationTest extends IntegrationTest {

    private GroupCommitIssuer lanes() {
        return context.getBean(GroupCommitIssuer.class);
    }

    private void sweepAfterIdle() {
        clock.advance(context.getBean(BatchSettings.class).idleAfter().plusSeconds(1));
        context.getBean(IdleCoupons.class).sweep();
    }

    @Test
    void aSoldOutCouponStillAnswersItsHolderAlreadyIssuedOnceItsLaneWasDropped() {
        long coupon = fixtures.coupon("batched", 1, 1);
        var holder = fixtures.user();
        var other = fixtures.user();
        var issuance = context.getBean(IssuanceService.class);
        var grant = issuance.issue(coupon, holder.id());
        assertThat(grant).isInstanceOf(IssueOutcome.Issued.class);
        assertThat(issuance.issue(coupon, other.id())).isEqualTo(IssueOutcome.SOLD_OUT);
        assertThat(lanes().knownSoldOut(coupon)).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            sweepAfterIdle(); // the drainer may still be withdrawing the coupon's published arrival
            return !lanes().hasLane(coupon);
        });

        var again = issuance.issue(coupon, holder.id());

        assertThat(again).isInstanceOfSatisfying(IssueOutcome.AlreadyIssued.class, already ->
                assertThat(already.holding().latest()).isEqualTo(((IssueOutcome.Issued) grant).coupon()));
        assertThat(issuance.issue(coupon, other.id())).isEqualTo(IssueOutcome.SOLD_OUT);
        assertThat(fixtures.rows(coupon)).isEqualTo(1);
    }

    @Test
    void aLaneWithARequestInItIsKeptHoweverLongAgoItStarted() throws Exception {
        long coupon = fixtures.coupon("batched", 5, 1);
        var user = fixtures.user();
        var issuance = context.getBean(IssuanceService.class);
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var rowLock = CouponRowLock.hold(context.getBean(JdbcTemplate.class), coupon, threads);
            var stuck = threads.submit(() -> issuance.issue(coupon, user.id()));
            await().atMost(Duration.ofSeconds(10)).until(() -> lanes().hasLane(coupon) && !stuck.isDone());

            sweepAfterIdle();
            sweepAfterIdle();

            assertThat(lanes().hasLane(coupon)).isTrue();
            rowLock.close();
            assertThat(stuck.get()).isInstanceOf(IssueOutcome.Issued.class);
        }
        assertThat(fixtures.rows(coupon)).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            sweepAfterIdle();
            return !lanes().hasLane(coupon);
        });
    }
}
