package io.couponrush.ratelimit;

/** What is counted, and what happens to the count while Redis is down. */
enum Rule {
    LOGIN_PER_IP("login-ip", WhenRedisIsDown.COUNT_LOCALLY, false),
    LOGIN_PER_EMAIL("login-email", WhenRedisIsDown.COUNT_LOCALLY, true),
    LOGIN_PER_DEVICE("login-device", WhenRedisIsDown.COUNT_LOCALLY, true),
    LOGIN_DEVICES_PER_EMAIL("login-devices-email", WhenRedisIsDown.COUNT_LOCALLY, true),
    PASSWORD_CHANGE_PER_USER("password-change-user", WhenRedisIsDown.COUNT_LOCALLY, true),
    REFRESH_PER_IP("refresh-ip", WhenRedisIsDown.COUNT_LOCALLY, true),
    SIGNUP_PER_IP("signup-ip", WhenRedisIsDown.COUNT_LOCALLY, false),
    ISSUE_PER_USER("issue-user", WhenRedisIsDown.ALLOW, false),
    ISSUE_PER_IP("issue-ip", WhenRedisIsDown.ALLOW, false);

    /**
     * Login and signup cost BCrypt CPU and guard passwords, so without Redis they fall back to
     * per-instance buckets (the limit then holds per instance, not across them). Issuing has its own
     * overload protection (pool wait, batch size, the circuit) and must keep working while Redis is
     * down (I8), so its limits let requests through.
     */
    enum WhenRedisIsDown { COUNT_LOCALLY, ALLOW }

    final String id;
    final WhenRedisIsDown whenRedisIsDown;
    /** Counts refusals ({@code 401}: a wrong password, a refresh token that is not valid) only. */
    final boolean failuresOnly;

    Rule(String id, WhenRedisIsDown whenRedisIsDown, boolean failuresOnly) {
        this.id = id;
        this.whenRedisIsDown = whenRedisIsDown;
        this.failuresOnly = failuresOnly;
    }
}
