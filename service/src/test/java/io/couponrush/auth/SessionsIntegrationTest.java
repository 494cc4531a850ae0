package io.couponrush.auth;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

import io.couponrush.CouponrushApplication;
import io.couponrush.IntegrationTest;
import io.couponrush.support.TestApi;
import io.couponrush.user.AccountState;
import io.couponrush.user.Role;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions that outlast a sale, over HTTP: a refresh renews the access token without a password and
 * replaces the refresh token; a token shown twice ends its session; a password or role change and a
 * logout end it; it lapses when idle and at its cap; the pages keep it in a cookie script cannot read.
 */
class SessionsIntegrationTest extends IntegrationTest {

    private static final String MINE = "/api/v1/users/me/coupons";
    private static final String PASSWORD = "session-passw0rd";

    private record Session(long userId, String email, String access, String refresh, String device) {
    }

    private Session signUpAndLogIn() {
        var email = "session-" + UUID.randomUUID() + "@test.io";
        var signup = api.post("/api/v1/auth/signup", null, Map.of("email", email, "password", PASSWORD, "nickname", "s"));
        assertThat(signup.status()).as(signup.body()).isEqualTo(201);
        return logIn(email, signup.json().get("id").asLong());
    }

    private Session logIn(String email, long userId) {
        var login = api.post("/api/v1/auth/login", null, Map.of("email", email, "password", PASSWORD));
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        var json = login.json();
        assertThat(json.get("refreshExpiresIn").asLong()).isEqualTo(Duration.ofDays(14).toSeconds());
        return new Session(userId, email, json.get("accessToken").asString(), json.get("refreshToken").asString(),
                json.get("deviceToken").asString());
    }

    private TestApi.Response refresh(String refreshToken) {
        return api.post("/api/v1/auth/refresh", null, Map.of("refreshToken", refreshToken));
    }

    private static String refreshTokenOf(TestApi.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().get("refreshToken").asString();
    }

    private static void assertRefused(TestApi.Response response, String code) {
        assertThat(response.status()).as(response.body()).isEqualTo(401);
        assertThat(response.isProblem()).isTrue();
        assertThat(response.code()).isEqualTo(code);
        assertThat(response.body()).doesNotContain("accessToken");
    }

    @Test
    void renewsTheAccessTokenWithoutAPasswordCheckAndReplacesTheRefreshToken() {
        var session = signUpAndLogIn();
        var permits = ((BoundedPasswordEncoder) context.getBean(PasswordEncoder.class)).permits();
        int all = permits.drainPermits(); // no hasher free: a refresh that needed BCrypt would answer 503
        TestApi.Response renewed;
        try {
            renewed = refresh(session.refresh());
        } finally {
            permits.release(all);
        }

        assertThat(renewed.status()).as(renewed.body()).isEqualTo(200);
        var json = renewed.json();
        assertThat(json.get("tokenType").asString()).isEqualTo("Bearer");
        assertThat(json.get("expiresIn").asLong()).isEqualTo(Duration.ofMinutes(15).toSeconds());
        assertThat(json.get("refreshToken").asString()).isNotEqualTo(session.refresh());
        assertThat(json.has("deviceToken")).as("a refresh is no login: no new device token").isFalse();
        assertThat(api.get(MINE, json.get("accessToken").asString()).status()).isEqualTo(200);
    }

    @Test
    void keepsAPersonInFromTheEveningBeforeTheSaleUntilItOpens() {
        var session = signUpAndLogIn();
        var refresh = session.refresh();
        String access = session.access();
        // logged in at 18:00 the day before, the page renewing every 14 minutes until 10:00
        for (int minutes = 0; minutes < 16 * 60; minutes += 14) {
            clock.advance(Duration.ofMinutes(14));
            var renewed = refresh(refresh);
            refresh = refreshTokenOf(renewed);
            access = renewed.json().get("accessToken").asString();
        }
        assertThat(api.get(MINE, access).status()).isEqualTo(200);
        assertThat(api.get(MINE, session.access()).status()).as("the first access token expired long ago").isEqualTo(401);
    }

    @Test
    void endsTheWholeSessionWhenARefreshTokenIsUsedTwice() {
        var session = signUpAndLogIn();
        var second = refreshTokenOf(refresh(session.refresh()));

        assertRefused(refresh(session.refresh()), "REFRESH_TOKEN_REUSED");
        assertRefused(refresh(second), "REFRESH_TOKEN_INVALID"); // the owner's newer token went with it
        assertThat(jdbc().queryForObject("SELECT revoked_reason FROM refresh_families WHERE user_id = ?", String.class,
                session.userId())).isEqualTo("REUSE");
    }

    @Test
    void concurrentUsesOfOneRefreshTokenGetOneRenewalAndEndTheSession() throws Exception {
        var session = signUpAndLogIn();
        int clients = 8;
        var start = new CountDownLatch(1);
        var calls = new ArrayList<Callable<TestApi.Response>>();
        for (int i = 0; i < clients; i++) {
            calls.add(() -> {
                start.await();
                return refresh(session.refresh());
            });
        }
        List<TestApi.Response> answers = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = calls.stream().map(pool::submit).toList();
            start.countDown();
            for (var future : futures) {
                answers.add(future.get());
            }
        }

        var renewed = answers.stream().filter(a -> a.status() == 200).toList();
        assertThat(renewed).hasSize(1);
        var refused = answers.stream().filter(a -> a.status() != 200).toList();
        refused.forEach(a -> assertThat(a.status()).isEqualTo(401));
        // the first to find the token spent ends the session; those after it find the session ended
        assertThat(refused).extracting(TestApi.Response::code).contains("REFRESH_TOKEN_REUSED")
                .containsOnly("REFRESH_TOKEN_REUSED", "REFRESH_TOKEN_INVALID");
        assertRefused(refresh(refreshTokenOf(renewed.getFirst())), "REFRESH_TOKEN_INVALID");
    }

    @Test
    void aPasswordChangeEndsEverySessionOfTheAccount() {
        var session = signUpAndLogIn();
        var elsewhere = logIn(session.email(), session.userId());

        var changed = api.put("/api/v1/users/me/password", session.access(),
                Map.of("oldPassword", PASSWORD, "newPassword", "another-passw0rd"));
        assertThat(changed.status()).as(changed.body()).isEqualTo(204);

        assertThat(refresh(session.refresh()).status()).isEqualTo(401);
        assertThat(refresh(elsewhere.refresh()).status()).isEqualTo(401);
        assertThat(jdbc().queryForList("SELECT revoked_reason FROM refresh_families WHERE user_id = ?", String.class,
                session.userId())).containsOnly("ACCOUNT_CHANGED").hasSize(2);
    }

    @Test
    void aRoleChangeEndsTheSessionEvenIfTheTableWasNotTold() {
        var session = signUpAndLogIn();
        // the role changes behind the service's back (another tool, a lost event): the refresh itself compares
        // the account's token version with the session's
        jdbc().update("UPDATE users SET role = 'ADMIN', token_version = token_version + 1 WHERE id = ?", session.userId());

        assertRefused(refresh(session.refresh()), "TOKEN_REVOKED");
    }

    @Test
    void aRoleChangeThroughTheApiEndsTheSession() {
        var session = signUpAndLogIn();
        var admin = fixtures.admin();
        assertThat(api.put("/api/v1/users/" + session.userId() + "/role", admin.token(), Map.of("role", "ADMIN")).status())
                .isEqualTo(200);

        assertRefused(refresh(session.refresh()), "REFRESH_TOKEN_INVALID"); // ended by the change, not by reuse
        assertThat(api.get(MINE, session.access()).code()).isEqualTo("TOKEN_REVOKED");
        var login = logIn(session.email(), session.userId());
        long coupon = fixtures.coupon("atomic", 1, 1);
        assertThat(api.get("/api/v1/admin/coupons/" + coupon + "/audit", login.access()).status())
                .as("a new login carries the new role").isEqualTo(200);
        assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM refresh_families WHERE user_id = ? AND revoked_reason = "
                + "'ACCOUNT_CHANGED'", Integer.class, session.userId())).isEqualTo(1);
    }

    @Test
    void aRefreshIgnoresTheExpiredAccessTokenAClientStillSends() {
        var session = signUpAndLogIn();
        clock.advance(Duration.ofMinutes(20));
        var renewed = api.post("/api/v1/auth/refresh", session.access(), Map.of("refreshToken", session.refresh()));
        assertThat(renewed.status()).as(renewed.body()).isEqualTo(200);
    }

    @Test
    void logoutClearsACookieThatIsNotATokenOfOurs() {
        var out = api.post("/api/v1/auth/logout", null, null, Map.of("Cookie", "couponrush_refresh=garbage"));
        assertThat(out.status()).isEqualTo(204);
        assertThat(cookie(out.headers().allValues("Set-Cookie"), "couponrush_refresh")).contains("Max-Age=0");
    }

    @Test
    void logoutEndsTheSessionAndIsSafeToRepeat() {
        var session = signUpAndLogIn();

        assertThat(api.post("/api/v1/auth/logout", null, Map.of("refreshToken", session.refresh())).status()).isEqualTo(204);
        assertThat(api.post("/api/v1/auth/logout", null, Map.of("refreshToken", session.refresh())).status()).isEqualTo(204);
        assertThat(api.post("/api/v1/auth/logout", null, null).status()).as("nothing to end").isEqualTo(204);

        assertRefused(refresh(session.refresh()), "REFRESH_TOKEN_INVALID");
    }

    @Test
    void lapsesWhenIdleAndAtItsCapHoweverOftenItIsRefreshed() {
        var idle = signUpAndLogIn();
        clock.advance(Duration.ofDays(14).plusMinutes(1));
        assertRefused(refresh(idle.refresh()), "REFRESH_TOKEN_INVALID");
        clock.reset();

        var busy = signUpAndLogIn();
        var refresh = busy.refresh();
        for (int day = 10; day < 30; day += 10) {
            clock.advance(Duration.ofDays(10));
            var renewed = refresh(refresh);
            refresh = refreshTokenOf(renewed);
            assertThat(renewed.json().get("refreshExpiresIn").asLong())
                    .isLessThanOrEqualTo(Duration.ofDays(30 - day).toSeconds() + 1);
        }
        clock.advance(Duration.ofDays(10)); // day 30: the cap, refreshed four days ago or not
        assertRefused(refresh(refresh), "REFRESH_TOKEN_INVALID");
    }

    @Test
    void keepsThePagesRefreshTokenInACookieScriptCannotRead() {
        var email = "cookie-" + UUID.randomUUID() + "@test.io";
        assertThat(api.post("/api/v1/auth/signup", null, Map.of("email", email, "password", PASSWORD, "nickname", "c")).status())
                .isEqualTo(201);

        var login = api.post("/api/v1/auth/login", null, Map.of("email", email, "password", PASSWORD, "tokenDelivery", "cookie"));
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        assertThat(login.json().has("refreshToken")).isFalse();
        assertThat(login.json().has("deviceToken")).isFalse();
        var cookies = login.headers().allValues("Set-Cookie");
        var refreshCookie = cookie(cookies, "couponrush_refresh");
        assertThat(refreshCookie).contains("HttpOnly", "SameSite=Strict", "Path=/api/v1/auth", "Max-Age=1209600")
                .doesNotContain("Secure"); // plain HTTP here; over TLS it is Secure
        assertThat(cookie(cookies, "couponrush_device")).contains("HttpOnly", "SameSite=Strict", "Path=/api/v1/auth");

        var renewed = api.post("/api/v1/auth/refresh", null, Map.of(), Map.of("Cookie", pair(refreshCookie)));
        assertThat(renewed.status()).as(renewed.body()).isEqualTo(200);
        assertThat(renewed.json().has("refreshToken")).isFalse();
        var next = cookie(renewed.headers().allValues("Set-Cookie"), "couponrush_refresh");
        assertThat(pair(next)).isNotEqualTo(pair(refreshCookie));
        assertThat(api.get(MINE, renewed.json().get("accessToken").asString()).status()).isEqualTo(200);

        var out = api.post("/api/v1/auth/logout", null, null, Map.of("Cookie", pair(next)));
        assertThat(out.status()).isEqualTo(204);
        assertThat(cookie(out.headers().allValues("Set-Cookie"), "couponrush_refresh")).contains("Max-Age=0");
        assertRefused(api.post("/api/v1/auth/refresh", null, null, Map.of("Cookie", pair(next))), "REFRESH_TOKEN_INVALID");
    }

    @Test
    void refusesMalformedAlteredOrMissingRefreshTokensAndWritesNothing() {
        var session = signUpAndLogIn();
        var token = RefreshToken.parse(session.refresh()).orElseThrow();
        var promoted = new RefreshToken(token.familyId(), new AccountState(token.account().id(), Role.ADMIN,
                token.account().tokenVersion()), token.absoluteExpiry(), token.secret()).text();
        var before = sessions(session.userId());

        assertRefused(refresh("not-a-token"), "REFRESH_TOKEN_INVALID");
        assertRefused(refresh(session.refresh().substring(1)), "REFRESH_TOKEN_INVALID");
        assertThat(sessions(session.userId())).isEqualTo(before);

        var missing = api.post("/api/v1/auth/refresh", null, Map.of());
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.code()).isEqualTo("VALIDATION_FAILED");
        assertThat(missing.body()).contains("refreshToken");
        assertThat(refresh("x".repeat(500)).code()).isEqualTo("VALIDATION_FAILED");

        // an altered token is not the family's current one: refused, and the family ends as for any reuse
        assertThat(refresh(promoted).status()).isEqualTo(401);
        assertThat(refresh(session.refresh()).status()).isEqualTo(401);
    }

    @Test
    void anotherInstanceRenewsASessionAndCatchesItsReuse() {
        var session = signUpAndLogIn();
        try (var other = new SpringApplicationBuilder(CouponrushApplication.class)
                .run("--server.port=0", "--couponrush.node-id=6", "--logging.level.io.couponrush.issuance.IssuanceService=error")) {
            var otherApi = new TestApi(other.getBean(Environment.class).getRequiredProperty("local.server.port", Integer.class));
            var renewed = otherApi.post("/api/v1/auth/refresh", null, Map.of("refreshToken", session.refresh()));
            var next = refreshTokenOf(renewed);
            assertThat(api.get(MINE, renewed.json().get("accessToken").asString()).status()).isEqualTo(200);

            assertRefused(refresh(session.refresh()), "REFRESH_TOKEN_REUSED");
            assertRefused(otherApi.post("/api/v1/auth/refresh", null, Map.of("refreshToken", next)), "REFRESH_TOKEN_INVALID");
        }
    }

    private List<Map<String, Object>> sessions(long userId) {
        return jdbc().queryForList("SELECT id, HEX(token_hash) AS hash, generation, expires_at, revoked_at "
                + "FROM refresh_families WHERE user_id = ?", userId);
    }

    private JdbcTemplate jdbc() {
        return context.getBean(JdbcTemplate.class);
    }

    private static String cookie(List<String> setCookies, String name) {
        return setCookies.stream().filter(c -> c.startsWith(name + "=")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " cookie in " + setCookies));
    }

    /** {@code name=value} of a Set-Cookie header: what a browser sends back. */
    private static String pair(String setCookie) {
        return setCookie.substring(0, setCookie.indexOf(';'));
    }
}
