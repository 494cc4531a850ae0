package io.couponrush.infra;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import javax.sql.DataSource;

import io.couponrush.CouponrushApplication;
import io.couponrush.IntegrationTest;
import io.couponrush.support.TcpProxy;
import io.couponrush.support.TestApi;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * I8 with real servers taken away: a second service instance reaches MariaDB and Redis through
 * proxies the test cuts, as a killed server would be (open connections reset, new ones refused),
 * while the servers themselves stay up for every other test.
 */
class DependencyFailureIntegrationTest extends IntegrationTest {

    private static final Duration RECOVERY = Duration.ofSeconds(30);

    /** The second instance, behind the proxies; its circuits open for 300 ms so recovery is quick to see. */
    private ConfigurableApplicationContext behind(TcpProxy database, TcpProxy redis) {
        var env = context.getBean(Environment.class);
        var url = URI.create(env.getRequiredProperty("spring.datasource.url").substring("jdbc:".length()));
        return new SpringApplicationBuilder(CouponrushApplication.class).properties(
                "server.port=0", "couponrush.node-id=3",
                "spring.datasource.url=jdbc:mariadb://127.0.0.1:" + database.port() + url.getPath(),
                "spring.datasource.username=" + env.getProperty("spring.datasource.username", "root"),
                "spring.datasource.password=" + env.getProperty("spring.datasource.password", ""),
                "spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redis.port(),
                // the same secret as the instance that minted the test's tokens
                "couponrush.jwt.secret=" + env.getProperty("couponrush.jwt.secret", ""),
                "couponrush.embedded.active=" + env.getProperty("couponrush.embedded.active", "false"),
                "couponrush.dependencies.open-for=300ms",
                "logging.level.io.couponrush=error", "logging.level.com.zaxxer=off", "logging.level.org.hibernate=off")
                .run("--couponrush.rate-limits.enabled=false"); // a run argument: builder properties are defaults application.yml overrides
    }

    private static int port(ConfigurableApplicationContext instance) {
        return instance.getBean(Environment.class).getRequiredProperty("local.server.port", Integer.class);
    }

    private int databasePort() {
        var url = context.getBean(Environment.class).getRequiredProperty("spring.datasource.url");
        return URI.create(url.substring("jdbc:".length())).getPort();
    }

    private int redisPort() {
        return context.getBean(Environment.class).getProperty("spring.data.redis.port", Integer.class, 6379);
    }

    @Test
    void answersOverloadedWhileTheDatabaseIsDownAndRecoversByItself() throws Exception {
        long coupon = fixtures.coupon("batched", 50, 1);
        var admin = fixtures.admin();
        try (var database = new TcpProxy(databasePort()); var redis = new TcpProxy(redisPort());
             var instance = behind(database, redis)) {
            var other = new TestApi(port(instance));
            assertThat(other.post("/api/v1/coupons/" + coupon + "/issue", fixtures.user().token(), null).status()).isEqualTo(201);
            var users = fixtures.users(5);

            database.cut();
            var answers = users.stream()
                    .map(u -> other.post("/api/v1/coupons/" + coupon + "/issue", u.token(), null)).toList();
            var login = other.post("/api/v1/auth/login", null, Map.of("email", "someone@test.io", "password", "passw0rd-x"));
            var signup = other.post("/api/v1/auth/signup", null,
                    Map.of("email", "down-" + System.nanoTime() + "@test.io", "password", "passw0rd-x", "nickname", "d"));
            var create = other.post("/api/v1/coupons", admin.token(), Map.of("name", "n", "discountAmount", 1,
                    "totalQuantity", 1, "issueStartsAt", "2026-01-01T00:00:00Z", "issueEndsAt", "2030-01-01T00:00:00Z"));
            var read = other.get("/api/v1/coupons/" + coupon, null);
            var mine = other.get("/api/v1/users/me/coupons", users.getFirst().token());

            for (var answer : answers) {
                assertOverloaded(answer);
            }
            for (var answer : java.util.List.of(login, signup, create, read, mine)) {
                assertOverloaded(answer);
            }
            assertThat(instance.getBean(Dependencies.class).database().getState()).isEqualTo(CircuitBreaker.State.OPEN);
            assertThat(fixtures.rows(coupon)).isEqualTo(1);

            database.restore();
            await().atMost(RECOVERY).until(() ->
                    other.post("/api/v1/coupons/" + coupon + "/issue", users.getFirst().token(), null).status() == 201);
            assertThat(other.get("/api/v1/coupons/" + coupon, null).status()).isEqualTo(200);
        }
        assertThat(audit.audit(coupon).orElseThrow().consistent()).isTrue();
    }

    @Test
    void keepsIssuingThroughTheDatabaseWhileRedisIsDown() throws Exception {
        long gated = fixtures.coupon("redis-gate", 50, 1);
        long locked = fixtures.coupon("redis-lock", 50, 1);
        try (var database = new TcpProxy(databasePort()); var redis = new TcpProxy(redisPort());
             var instance = behind(database, redis)) {
            var other = new TestApi(port(instance));
            assertThat(other.post("/api/v1/coupons/" + gated + "/issue", fixtures.user().token(), null).status()).isEqualTo(201);

            redis.cut();
            var viaDatabase = other.post("/api/v1/coupons/" + gated + "/issue", fixtures.user().token(), null);
            var noLock = other.post("/api/v1/coupons/" + locked + "/issue", fixtures.user().token(), null);

            assertThat(viaDatabase.status()).as(viaDatabase.body()).isEqualTo(201);
            assertOverloaded(noLock);

            redis.restore();
            await().atMost(RECOVERY).until(() ->
                    other.post("/api/v1/coupons/" + locked + "/issue", fixtures.user().token(), null).status() == 201);
        }
        assertThat(fixtures.rows(gated)).isEqualTo(2);
        assertThat(audit.audit(gated).orElseThrow().consistent()).isTrue();
    }

    private static void assertOverloaded(TestApi.Response answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(503);
        assertThat(answer.code()).isEqualTo("OVERLOADED");
        assertThat(answer.headers().firstValue("Retry-After")).isPresent();
    }

    /**
     * An instance frozen inside a transaction keeps its row locks until it resumes: InnoDB cannot
     * know. The service's connections carry MariaDB's idle_transaction_timeout, so the server ends
     * such a session, its locks go, and the others' issuing goes on.
     */
    @Test
    void aFrozenLockHolderLosesTheRowAfterTheIdleTimeout() throws Exception {
        long coupon = fixtures.coupon("batched", 5, 1);
        var token = fixtures.user().token();

        try (var frozen = context.getBean(DataSource.class).getConnection()) {
            frozen.setAutoCommit(false);
            try (var lock = frozen.prepareStatement("UPDATE coupons SET version = version + 1 WHERE id = ?")) {
                lock.setLong(1, coupon);
                lock.executeUpdate();
            }
            // ... and the holder is frozen: it sends nothing more

            var answer = api.post("/api/v1/coupons/" + coupon + "/issue", token, null);

            assertThat(answer.status()).as(answer.body()).isEqualTo(201);
            assertThatExceptionOfType(java.sql.SQLException.class).as("the frozen session was ended by the server")
                    .isThrownBy(frozen::commit);
        }
        assertThat(fixtures.remaining(coupon)).isEqualTo(4);
        assertThat(audit.audit(coupon).orElseThrow().consistent()).isTrue();
    }
}
