package io.couponrush.ratelimit;

/** What is counted, and what happens to the count while Redis is down. */
enum Rule {
    LOGIN_PER_IP("login-ip", WhenRedisIsDown.COUNT_LOCALLY),
    LOGIN_PER_EMAIL("login-email", WhenRedisIsDown.COUNT_LOCALLY),
    LOGIN_PER_DEVICE("login-device", WhenRedisIsDown.COUNT_LOCALLY),
    SIGNUP_PER_IP("signup-ip", WhenRedisIsDown.COUNT_LOCALLY),
    ISSUE_PER_USER("issue-user", WhenRedisIsDown.ALLOW),
    ISSUE_PER_IP("issue-ip", WhenRedisIsDown.ALLOW);

    /**
     * Login and signup cost BCrypt CPU and guard passwords, so without Redis they fall back to
     * per-instance buckets (the limit then holds per instance, not across them). Issuing has its own
     * overload protection (pool wait, batch size, the circuit) and must keep working while Redis is
     * down (I8), so its limits let requests through.
     */
    enum WhenRedisIsDown { COUNT_LOCALLY, ALLOW }

    final String id;
    final WhenRedisIsDown whenRedisIsDown;

    Rule(String id, WhenRedisIsDown whenRedisIsDown) {
        this.id = id;
        this.whenRedisIsDown = whenRedisIsDown;
    }
}
