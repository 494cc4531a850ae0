package io.couponrush.coupon;

import java.time.Clock;
import java.time.Instant;

import io.couponrush.web.ApiException;
import io.couponrush.web.ErrorCode;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

class CouponServiceTest {

    private final Coupons coupons = mock(Coupons.class);

    private static CouponRequests.Create request(String strategy) {
        return new CouponRequests.Create("n", null, 100L, 10, null, Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2027-01-01T00:00:00Z"), strategy, null);
    }

    @Test
    void refusesTheUnsafeStrategyUnlessAllowed() {
        var service = new CouponService(coupons, new IssuanceSettings("atomic", false, java.time.Duration.ofMinutes(1), 1000), Clock.systemUTC(), event -> { }, null);

        assertThatExceptionOfType(ApiException.class).isThrownBy(() -> service.create(request("none")))
                .extracting(ApiException::code).isEqualTo(ErrorCode.UNSAFE_STRATEGY_DISABLED);
        verify(coupons, never()).save(any());
    }

    @Test
    void createsWithTheConfiguredDefaultStrategyAndLimitOne() {
        var saved = ArgumentCaptor.forClass(Coupon.class);
        when(coupons.save(saved.capture())).thenThrow(new IllegalStateException("stop after save"));
        var service = new CouponService(coupons, new IssuanceSettings("pessimistic", false, java.time.Duration.ofMinutes(1), 1000), Clock.systemUTC(), event -> { }, null);

        assertThatIllegalStateException().isThrownBy(() -> service.create(request(null)));

        assertThat(saved.getValue().getStrategy()).isEqualTo(Strategy.PESSIMISTIC);
        assertThat(saved.getValue().getPerUserLimit()).isEqualTo(1);
        assertThat(saved.getValue().getRemaining()).isEqualTo(10);
    }

    @Test
    void refusesAnUnknownDefaultStrategyAtStartup() {
        assertThatIllegalArgumentException().isThrownBy(() -> new IssuanceSettings("magic", false, java.time.Duration.ofMinutes(1), 1000));
    }
}
