package io.couponrush.issuance;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import io.couponrush.IntegrationTest;
import io.couponrush.issuance.strategy.CouponGate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** I9: arrival is stamped, judged in the audit, and nothing is cold when a coupon opens. */
class ArrivalOrderIntegrationTest extends IntegrationTest {

    private IssuanceService issuance() {
        return context.getBean(IssuanceService.class);
    }

    private IssueOutcome issueArrivedAt(long coupon, long user, Instant arrivedAt) {
        return issuance().issue(coupon, new IssueRequest(user, null, arrivedAt));
    }

    @ParameterizedTest
    @ValueSource(strings = {"batched", "redis-gate", "atomic", "pessimistic"})
    void auditsAnInOrderSaleAsInOrder(String strategy) {
        long coupon = fixtures.coupon(strategy, 3, 1);
        var users = fixtures.users(5);
        var t0 = clock.instant().truncatedTo(ChronoUnit.MICROS);

        for (int i = 0; i < users.size(); i++) {
            issueArrivedAt(coupon, users.get(i).id(), t0.plusMillis(i));
        }
        context.getBean(RefusalLedger.class).flush();

        var order = audit.audit(coupon).orElseThrow().arrivalOrder();
        assertThat(order.grantsStamped()).isEqualTo(3);
        assertThat(order.refusalsRecorded()).isEqualTo(2);
        assertThat(order.lastGrantArrivedAt()).isEqualTo(t0.plusMillis(2));
        assertThat(order.firstRefusalArrivedAt()).isEqualTo(t0.plusMillis(3));
        assertThat(order.grantsAfterFirstRefusal()).isZero();
        assertThat(order.refusalsBeforeLastGrant()).isZero();
        assertThat(order.outOfOrderPercent()).isZero();
    }

    /** A later arrival served first took the copy an earlier one was refused: the audit says so, and by how much. */
    @Test
    void auditsACopyGrantedOutOfArrivalOrder() {
        long coupon = fixtures.coupon("atomic", 1, 1);
        var late = fixtures.user();
        var early = fixtures.user();
        var t0 = clock.instant().truncatedTo(ChronoUnit.MICROS);

        assertThat(issueArrivedAt(coupon, late.id(), t0.plusMillis(7))).isInstanceOf(IssueOutcome.Issued.class);
        assertThat(issueArrivedAt(coupon, early.id(), t0)).isEqualTo(IssueOutcome.SOLD_OUT);
        context.getBean(RefusalLedger.class).flush();

        var order = audit.audit(coupon).orElseThrow().arrivalOrder();
        assertThat(order.grantsAfterFirstRefusal()).isEqualTo(1);
        assertThat(order.outOfOrderPercent()).isEqualTo(100.0);
        assertThat(order.latestGrantLagMillis()).isEqualTo(7);
        assertThat(order.refusalsBeforeLastGrant()).isEqualTo(1);
    }

    @Test
    void aRedisGateCouponThatIsOpenIsReadyBeforeItsFirstRequest() {
        long coupon = fixtures.coupon("redis-gate", 10, 1);

        var gate = context.getBean(CouponGate.class).inspect(coupon);

        assertThat(gate.loaded()).isTrue();
        assertThat(gate.stock()).isEqualTo(10);
    }

    @Test
    void aCouponIsMadeReadyWithinTheLeadBeforeItOpens() {
        var now = clock.instant();
        long soon = fixtures.coupon("redis-gate", 10, 1, now.plus(Duration.ofSeconds(5)), now.plus(Duration.ofHours(1)));
        long later = fixtures.coupon("redis-gate", 10, 1, now.plus(Duration.ofHours(1)), now.plus(Duration.ofHours(2)));
        var gate = context.getBean(CouponGate.class);

        context.getBean(OpeningWarmup.class).warm();

        assertThat(gate.inspect(soon).loaded()).isTrue();
        assertThat(gate.inspect(later).loaded()).isFalse();
        clock.advance(Duration.ofMinutes(59).plusSeconds(55)); // five seconds before it opens
        context.getBean(OpeningWarmup.class).warm();
        assertThat(gate.inspect(later).loaded()).isTrue();
    }

    /** A Redis that lost its data has the gates of open coupons rebuilt by the warm-up, before anyone asks. */
    @Test
    void rebuildsTheGatesOfOpenCouponsAfterRedisLostThem() {
        long coupon = fixtures.coupon("redis-gate", 10, 1);
        api.post("/api/v1/coupons/" + coupon + "/issue", fixtures.user().token(), null);
        context.getBean(RedisConnectionFactory.class).getConnection().serverCommands().flushAll();

        context.getBean(OpeningWarmup.class).warm();

        var gate = context.getBean(CouponGate.class).inspect(coupon);
        assertThat(gate.loaded()).isTrue();
        assertThat(gate.stock()).isEqualTo(9);
        assertThat(gate.holders()).isEqualTo(1);
    }
}
