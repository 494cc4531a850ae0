package io.couponrush.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.couponrush.auth.DeviceTokens;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimitSettingsTest {

    private static RateLimitSettings bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("couponrush.rate-limits", RateLimitSettings.class);
    }

    @Test
    void defaultsEveryLimitAndEveryFieldLeftOut() {
        var settings = bind(Map.of("couponrush.rate-limits.issue-per-ip.capacity", "50"));
        assertThat(settings.enabled()).isTrue();
        assertThat(settings.issuePerIp()).isEqualTo(new RateLimitSettings.Limit(50, Duration.ofSeconds(10)));
        assertThat(settings.loginPerIp()).isEqualTo(new RateLimitSettings.Limit(10, Duration.ofMinutes(1)));
        assertThat(settings.loginPerEmail()).isEqualTo(new RateLimitSettings.Limit(5, Duration.ofMinutes(5)));
        assertThat(settings.signupPerIp()).isEqualTo(new RateLimitSettings.Limit(5, Duration.ofMinutes(10)));
        assertThat(settings.issuePerUser()).isEqualTo(new RateLimitSettings.Limit(5, Duration.ofSeconds(10)));
    }

    @Test
    void zeroCapacityTurnsOneLimitOff() {
        var settings = bind(Map.of("couponrush.rate-limits.issue-per-user.capacity", "0"));
        assertThat(settings.limit(Rule.ISSUE_PER_USER).off()).isTrue();
        assertThat(settings.limit(Rule.ISSUE_PER_IP).off()).isFalse();
    }

    @Test
    void refusesANegativeCapacityOrAnEmptyRefillPeriod() {
        assertThatThrownBy(() -> bind(Map.of("couponrush.rate-limits.login-per-ip.capacity", "-1")))
                .hasRootCauseInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> bind(Map.of("couponrush.rate-limits.login-per-ip.refill-period", "0s")))
                .hasRootCauseInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void countsIpv6ClientsPerSlash64AndIpv4PerAddress() {
        assertThat(RateLimitFilter.address("2001:db8:1:2:aaaa::1")).isEqualTo(RateLimitFilter.address("2001:db8:1:2:bbbb::9"));
        assertThat(RateLimitFilter.address("2001:db8:1:3::1")).isNotEqualTo(RateLimitFilter.address("2001:db8:1:2::1"));
        assertThat(RateLimitFilter.address("192.0.2.1")).isEqualTo("192.0.2.1");
    }

    @Test
    void keysLoginsByTheNormalizedEmailHashed() {
        var plain = RateLimitFilter.LoginFields.of("{\"email\":\"Someone@Test.io\",\"password\":\"x\"}".getBytes());
        var spaced = RateLimitFilter.LoginFields.of("{\"email\":\" someone@test.io \"}".getBytes());
        assertThat(DeviceTokens.emailKey(plain.email())).isEqualTo(DeviceTokens.emailKey(spaced.email()));
        assertThat(DeviceTokens.emailKey(plain.email())).doesNotContain("someone");
        assertThat(RateLimitFilter.LoginFields.of("not json".getBytes())).isNull();
        assertThat(RateLimitFilter.LoginFields.of("[1]".getBytes())).isNull();
        assertThat(RateLimitFilter.LoginFields.of("{\"email\":\"a@b.c\",\"email\":\"d@e.f\"}".getBytes())).isNull();
        assertThat(RateLimitFilter.LoginFields.of("{\"email\":5}".getBytes()).email()).isNull();
        assertThat(RateLimitFilter.LoginFields.of("{\"email\":\"a@b.c\",\"deviceToken\":\"t\"}".getBytes()).deviceToken())
                .isEqualTo("t");
    }

    @Test
    void givesBackEverythingAShedRequestTookAndOnlyFailedLoginsCountPerAccount() {
        var ip = new RateLimiter.Charge(new RateLimiter.Check(Rule.LOGIN_PER_IP, "192.0.2.1"), true);
        var email = new RateLimiter.Charge(new RateLimiter.Check(Rule.LOGIN_PER_EMAIL, "k"), true);
        var device = new RateLimiter.Charge(new RateLimiter.Check(Rule.LOGIN_PER_DEVICE, "d"), true);
        var signup = new RateLimiter.Charge(new RateLimiter.Check(Rule.SIGNUP_PER_IP, "192.0.2.1"), false);

        assertThat(RateLimitFilter.notSpent(List.of(ip, email), 503)).containsExactly(ip, email);
        assertThat(RateLimitFilter.notSpent(List.of(signup), 503)).containsExactly(signup);
        assertThat(RateLimitFilter.notSpent(List.of(ip, email), 401)).isEmpty();
        assertThat(RateLimitFilter.notSpent(List.of(ip, email), 200)).containsExactly(email);
        assertThat(RateLimitFilter.notSpent(List.of(ip, device), 200)).containsExactly(device);
        assertThat(RateLimitFilter.notSpent(List.of(signup), 201)).isEmpty();
        assertThat(RateLimitFilter.notSpent(List.of(signup), 409)).isEmpty();
    }
}
