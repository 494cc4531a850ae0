package io.couponrush.auth;

import java.net.URI;
import java.util.Map;

import io.couponrush.CouponrushApplication;
import io.couponrush.IntegrationTest;
import io.couponrush.support.TestApi;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * The fixtures mint ADMIN tokens without a login: they exist only under the {@code loadtest} profile,
 * in a filter chain of their own that asks for the shared secret, and that profile refuses to start
 * against real servers without one.
 */
class LoadTestFixturesIntegrationTest extends IntegrationTest {

    private static final String SECRET = "the-harness-secret-for-this-test";

    @Test
    void withoutTheProfileTheFixturesAreNotOpen() {
        var admin = api.post("/api/v1/loadtest/admin-token", null, null);
        var users = api.post("/api/v1/loadtest/users", null, Map.of("count", 1));

        assertThat(admin.status()).as(admin.body()).isEqualTo(401);
        assertThat(admin.code()).isEqualTo("UNAUTHORIZED");
        assertThat(users.status()).isEqualTo(401);
    }

    @Test
    void withASecretTheFixturesNeedItAndThePingAUserToken() {
        try (var instance = loadTestInstance(SECRET, true)) {
            var other = new TestApi(instance.getBean(Environment.class).getRequiredProperty("local.server.port", Integer.class));

            var none = other.post("/api/v1/loadtest/admin-token", null, null);
            var wrong = other.postWithHeaders("/api/v1/loadtest/admin-token", null, Map.of("X-Loadtest-Secret", "guess"));
            var right = other.postWithHeaders("/api/v1/loadtest/admin-token", null, Map.of("X-Loadtest-Secret", SECRET));

            assertThat(none.status()).isEqualTo(401);
            assertThat(none.isProblem()).isTrue();
            assertThat(none.code()).isEqualTo("UNAUTHORIZED");
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(right.status()).as(right.body()).isEqualTo(200);
            var adminToken = right.json().get("token").asString();
            assertThat(other.get("/api/v1/admin/coupons/" + fixtures.coupon("atomic", 1, 1) + "/audit", adminToken).status())
                    .isEqualTo(200);

            assertThat(other.get("/api/v1/loadtest/ping", null).status()).isEqualTo(401);
            assertThat(other.get("/api/v1/loadtest/ping", fixtures.user().token()).status()).isEqualTo(200);
        }
    }

    /** The opening-door bench's crowd: accounts that can log in, with sessions, and access tokens about to expire. */
    @Test
    void makesACrowdThatCanLogInWithSessionsAndShortLivedTokens() {
        try (var instance = loadTestInstance(SECRET, true)) {
            var other = new TestApi(instance.getBean(Environment.class).getRequiredProperty("local.server.port", Integer.class));
            var made = other.post("/api/v1/loadtest/users", null,
                    Map.of("count", 2, "password", "crowd-passw0rd", "accessTokenSeconds", 60, "sessions", true),
                    Map.of("X-Loadtest-Secret", SECRET));
            assertThat(made.status()).as(made.body()).isEqualTo(200);
            var person = made.json().get("users").get(0);

            var token = person.get("token").asString();
            assertThat(other.get("/api/v1/loadtest/ping", token).status()).isEqualTo(200);
            var claims = TestApi.JSON.readTree(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]));
            assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(60);

            var renewed = api.post("/api/v1/auth/refresh", null, Map.of("refreshToken", person.get("refreshToken").asString()));
            assertThat(renewed.status()).as(renewed.body()).isEqualTo(200);
            var login = api.post("/api/v1/auth/login", null,
                    Map.of("email", person.get("email").asString(), "password", "crowd-passw0rd"));
            assertThat(login.status()).as(login.body()).isEqualTo(200);
        }
    }

    @Test
    void refusesToStartAgainstRealServersWithoutASecret() {
        assertThatException().isThrownBy(() -> loadTestInstance("", false).close())
                .satisfies(e -> assertThat(rootCause(e).getMessage()).contains("couponrush.loadtest.secret"));
    }

    /**
     * The loadtest profile on this test's MariaDB and Redis, configured as real servers; {@code embedded}
     * claims the embedded run anyway, so that it accepts the development JWT key the test's tokens carry.
     */
    private ConfigurableApplicationContext loadTestInstance(String secret, boolean embedded) {
        var env = context.getBean(Environment.class);
        var url = URI.create(env.getRequiredProperty("spring.datasource.url").substring("jdbc:".length()));
        return new SpringApplicationBuilder(CouponrushApplication.class).profiles("loadtest").properties(
                "server.port=0", "couponrush.node-id=5",
                "spring.datasource.url=jdbc:mariadb://127.0.0.1:" + url.getPort() + url.getPath(),
                "spring.datasource.username=" + env.getProperty("spring.datasource.username", "root"),
                "spring.datasource.password=" + env.getProperty("spring.datasource.password", ""),
                "spring.data.redis.host=127.0.0.1",
                "spring.data.redis.port=" + env.getProperty("spring.data.redis.port", "6379"),
                "couponrush.embedded.active=" + embedded,
                "couponrush.jwt.secret=" + (embedded ? env.getProperty("couponrush.jwt.secret", "")
                        : "a-jwt-secret-of-a-real-deployment-0123456789"),
                "couponrush.loadtest.secret=" + secret,
                "logging.level.io.couponrush=error")
                .run();
    }

    private static Throwable rootCause(Throwable e) {
        var cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
