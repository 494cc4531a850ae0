package io.couponrush.auth;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long a login lasts. An access token lives {@code couponrush.jwt.ttl} (15 minutes); a refresh
 * token renews it without a password and is replaced by every use.
 *
 * @param refreshIdle   a session not refreshed for this long ends (sliding: every refresh moves it)
 * @param refreshMax    a session ends this long after its login, however often it was refreshed
 * @param deviceTokenTtl how long a device token (proof that this client logged in to the account
 *                      before, which exempts it from the lock-out strangers can cause) is honoured
 * @param sweepEvery    how often sessions past their cap are deleted, in small batches
 * @param secureCookies {@code auto} (default): the session cookies are {@code Secure} when the request came
 *                      over TLS (behind a TLS-terminating proxy, one named in the trusted proxies);
 *                      {@code always}: whatever the request says (a proxy that is not configured as trusted)
 */
@ConfigurationProperties("couponrush.sessions")
record SessionSettings(
        @DefaultValue("14d") Duration refreshIdle,
        @DefaultValue("30d") Duration refreshMax,
        @DefaultValue("365d") Duration deviceTokenTtl,
        @DefaultValue("1h") Duration sweepEvery,
        @DefaultValue("auto") String secureCookies) {

    boolean alwaysSecure() {
        return "always".equals(secureCookies);
    }

    SessionSettings {
        if (!refreshIdle.isPositive() || refreshMax.compareTo(refreshIdle) < 0) {
            throw new IllegalArgumentException("couponrush.sessions: refresh-idle must be positive and refresh-max at least refresh-idle");
        }
        if (!"auto".equals(secureCookies) && !"always".equals(secureCookies)) {
            throw new IllegalArgumentException("couponrush.sessions.secure-cookies must be auto or always");
        }
        if (!deviceTokenTtl.isPositive() || !sweepEvery.isPositive()) {
            throw new IllegalArgumentException("couponrush.sessions: device-token-ttl and sweep-every must be positive");
        }
    }
}
