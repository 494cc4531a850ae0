package io.couponrush;

import io.couponrush.audit.CouponAudit;
import io.couponrush.auth.TokenService;
import io.couponrush.infra.Dependencies;
import io.couponrush.support.Fixtures;
import io.couponrush.support.MutableClock;
import io.couponrush.support.TestApi;
import io.couponrush.support.TestClockConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Base of every {@code *IntegrationTest}: the whole service on a random port, against real MariaDB
 * and Redis (embedded by default; the machine's servers when {@code SPRING_DATASOURCE_URL} /
 * {@code SPRING_DATA_REDIS_HOST} are set). One application context shared by all of them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "couponrush.issuance.allow-unsafe=true",
        // short enough that the lease-expiry test waits half a second, long enough that no normal holder outlives it
        "couponrush.issuance.redis-lock.lease=500ms",
        "couponrush.issuance.redis-lock.wait-timeout=5s",
        "couponrush.issuance.pessimistic.lock-timeout=1s",
        // the two-instance tests start a second context as node 2; ids must not collide
        "couponrush.node-id=1",
        // the lease tests run the reservation sweeper themselves, against a clock they move
        "couponrush.issuance.redis-gate.sweep-interval=1h",
        // hundreds of requests from 127.0.0.1 per test, some by one user: the limits stay on (their
        // Redis work runs on every request) but out of reach; RateLimitIntegrationTest sets its own
        "couponrush.rate-limits.login-per-ip.capacity=1000000",
        "couponrush.rate-limits.login-per-email.capacity=1000000",
        "couponrush.rate-limits.login-per-device.capacity=1000000",
        "couponrush.rate-limits.signup-per-ip.capacity=1000000",
        "couponrush.rate-limits.issue-per-user.capacity=1000000",
        "couponrush.rate-limits.issue-per-ip.capacity=1000000",
        // the order system the redemption tests call as (the secret is "test-orders-secret")
        "couponrush.redemption.clients[0].id=test-orders",
        "couponrush.redemption.clients[0].secret-sha256=8c5cb6003133e6d5e77a0023cfc21f1a7803d6cf346be4529aeb3ae97910dde2",
        // a second order system ("other-orders-secret"): it may not touch the first one's orders
        "couponrush.redemption.clients[1].id=other-orders",
        "couponrush.redemption.clients[1].secret-sha256=58fde0230ee35d7c43ad7d6024818812d21ae70141ecd5280fdfa2c3789ac0ad",
        // a test that takes every hasher away waits this long for its 503 (the default, 5 s, is for people)
        "couponrush.passwords.max-wait=1s",
        "logging.level.io.couponrush.issuance.IssuanceService=error"})
@Import(TestClockConfig.class)
public abstract class IntegrationTest {

    protected TestApi api;
    protected Fixtures fixtures;
    protected MutableClock clock;
    protected CouponAudit audit;
    protected ApplicationContext context;

    @BeforeEach
    void wire(ApplicationContext context) {
        this.context = context;
        int port = context.getBean(Environment.class).getRequiredProperty("local.server.port", Integer.class);
        this.api = new TestApi(port);
        this.clock = context.getBean(MutableClock.class);
        this.audit = context.getBean(CouponAudit.class);
        this.fixtures = new Fixtures(context.getBean(JdbcTemplate.class), context.getBean(TokenService.class), api, clock);
        // a test that took a server away must not leave the next one facing an open circuit
        var dependencies = context.getBean(Dependencies.class);
        dependencies.database().reset();
        dependencies.redis().reset();
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }
}
