package io.couponrush.ratelimit;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The abuse limits. Each is a token bucket: a client may spend {@code capacity} requests at once, then the bucket refills evenly, an empty one
 * in {@code refill-period} (one request every {@code refill-period / capacity}). A short burst is
 * allowed; hammering is slowed to the refill rate and answered {@code 429 RATE_LIMITED} with
 * {@code Retry-After} in between. A limit left out, or a field of one, takes its default.
 *
 * <p>Where the buckets live. Login and signup buckets are always kept in Redis, shared by every
 * instance: they guard passwords, and an attacker spreading guesses over N instances must not get N
 * times the attempts. The issue buckets are kept per instance by default ({@code issue-scope:
 * instance}): they protect each instance's capacity, which a per-instance bucket bounds exactly, and
 * a shared bucket costs a Redis round trip on every issue request (about a third of one instance's
 * issue throughput in the bench: README, Performance). Behind a balancer of N instances one user can
 * then get up to N times the issue limit. {@code issue-scope: shared} counts them in Redis instead.
 *
 * @param enabled       {@code false} turns every limit off
 * @param loginPerIp    {@code POST /api/v1/auth/login} per client IP (IPv6: per /64); default 10 per minute
 * @param loginPerEmail failed logins ({@code 401}) per email, whoever sends them, so guessing one account's
 *                      password from many addresses stays slow; default 5 per 5 minutes. A right password
 *                      is not counted, and a client holding a device token for the account (it logged in
 *                      to it before) is counted per device instead: strangers' failures cannot lock it out
 * @param loginPerDevice failed logins per device token (OWASP's device cookie); default 5 per 5 minutes
 * @param loginDevicesPerEmail failed logins per email made with device tokens, all devices together: someone
 *                      who collected device tokens of an account (by logging in to it while they knew its
 *                      password) gets this many guesses after a password change, not five per token;
 *                      strangers without a token cannot drain it. Default 20 per 5 minutes
 * @param passwordChangePerUser wrong old passwords given to {@code PUT /api/v1/users/me/password} per account:
 *                      a stolen session must not be a way to guess the password; default 5 per 5 minutes
 * @param refreshPerIp  refused refreshes ({@code POST /api/v1/auth/refresh} answered 401) per client address:
 *                      made-up tokens cost a read each; default 30 per minute
 * @param signupPerIp   {@code POST /api/v1/auth/signup} per client IP; default 5 per 10 minutes
 * @param issuePerUser  {@code POST /api/v1/coupons/{id}/issue} per user (the token's subject);
 *                      default 5 per 10 seconds
 * @param issuePerIp    {@code POST /api/v1/coupons/{id}/issue} per client IP; default 300 per 10
 *                      seconds, generous because many honest users can share one address (carrier
 *                      NAT, an office)
 * @param issueScope    where the two issue buckets are kept: {@code instance} (default) or {@code shared}
 */
@ConfigurationProperties("couponrush.rate-limits")
record RateLimitSettings(
        @DefaultValue("true") boolean enabled,
        Limit loginPerIp,
        Limit loginPerEmail,
        Limit loginPerDevice,
        Limit loginDevicesPerEmail,
        Limit passwordChangePerUser,
        Limit refreshPerIp,
        Limit signupPerIp,
        Limit issuePerUser,
        Limit issuePerIp,
        @DefaultValue("instance") Scope issueScope) {

    /** Where a bucket is counted: in this instance's memory, or in Redis for every instance. */
    enum Scope { INSTANCE, SHARED }

    RateLimitSettings {
        loginPerIp = Limit.orDefault(loginPerIp, 10, Duration.ofMinutes(1));
        loginPerEmail = Limit.orDefault(loginPerEmail, 5, Duration.ofMinutes(5));
        loginPerDevice = Limit.orDefault(loginPerDevice, 5, Duration.ofMinutes(5));
        loginDevicesPerEmail = Limit.orDefault(loginDevicesPerEmail, 20, Duration.ofMinutes(5));
        passwordChangePerUser = Limit.orDefault(passwordChangePerUser, 5, Duration.ofMinutes(5));
        refreshPerIp = Limit.orDefault(refreshPerIp, 30, Duration.ofMinutes(1));
        signupPerIp = Limit.orDefault(signupPerIp, 5, Duration.ofMinutes(10));
        issuePerUser = Limit.orDefault(issuePerUser, 5, Duration.ofSeconds(10));
        issuePerIp = Limit.orDefault(issuePerIp, 300, Duration.ofSeconds(10));
    }

    /**
     * One bucket's shape.
     *
     * @param capacity     requests allowed at once; {@code 0} turns this one limit off
     * @param refillPeriod how long an empty bucket takes to refill completely (at least 1 ms)
     */
    record Limit(Integer capacity, Duration refillPeriod) {

        Limit {
            if (capacity != null && capacity < 0) {
                throw new IllegalArgumentException("a rate limit's capacity must be 0 (off) or more, was " + capacity);
            }
            if (refillPeriod != null && refillPeriod.toMillis() < 1) {
                throw new IllegalArgumentException("a rate limit's refill-period must be at least 1ms, was " + refillPeriod);
            }
        }

        static Limit orDefault(Limit given, int capacity, Duration refillPeriod) {
            return given == null ? new Limit(capacity, refillPeriod) : new Limit(
                    given.capacity == null ? capacity : given.capacity,
                    given.refillPeriod == null ? refillPeriod : given.refillPeriod);
        }

        boolean off() {
            return capacity == 0;
        }

        /** Part of every bucket's Redis key: instances configured alike share buckets, a changed limit starts new ones. */
        String tag() {
            return capacity + "per" + refillPeriod.toMillis();
        }
    }

    /** Whether the rule's buckets are kept in Redis (while it answers) rather than in this instance. */
    boolean shared(Rule rule) {
        return switch (rule) {
            case LOGIN_PER_IP, LOGIN_PER_EMAIL, LOGIN_PER_DEVICE, LOGIN_DEVICES_PER_EMAIL, PASSWORD_CHANGE_PER_USER,
                 REFRESH_PER_IP, SIGNUP_PER_IP -> true;
            case ISSUE_PER_USER, ISSUE_PER_IP -> issueScope == Scope.SHARED;
        };
    }

    Limit limit(Rule rule) {
        return switch (rule) {
            case LOGIN_PER_IP -> loginPerIp;
            case LOGIN_PER_EMAIL -> loginPerEmail;
            case LOGIN_PER_DEVICE -> loginPerDevice;
            case LOGIN_DEVICES_PER_EMAIL -> loginDevicesPerEmail;
            case PASSWORD_CHANGE_PER_USER -> passwordChangePerUser;
            case REFRESH_PER_IP -> refreshPerIp;
            case SIGNUP_PER_IP -> signupPerIp;
            case ISSUE_PER_USER -> issuePerUser;
            case ISSUE_PER_IP -> issuePerIp;
        };
    }
}
