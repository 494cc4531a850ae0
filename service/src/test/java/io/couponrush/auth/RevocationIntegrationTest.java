package io.couponrush.auth;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;

import io.couponrush.CouponrushApplication;
import io.couponrush.IntegrationTest;
import io.couponrush.support.MutableClock;
import io.couponrush.support.TestApi;
import io.couponrush.support.TestClockConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** A role or password change takes effect for every token already issued, on every instance, within seconds. */
class RevocationIntegrationTest extends IntegrationTest {

    private static final Map<String, Object> A_COUPON = Map.of("name", "n", "discountAmount", 1, "totalQuantity", 1,
            "issueStartsAt", "2026-01-01T00:00:00Z", "issueEndsAt", "2030-01-01T00:00:00Z");

    private JdbcTemplate jdbc() {
        return context.getBean(JdbcTemplate.class);
    }

    private String roleOf(long id) {
        return jdbc().queryForObject("SELECT role FROM users WHERE id = ?", String.class, id);
    }

    private static void assertRevoked(TestApi.Response answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(401);
        assertThat(answer.isProblem()).isTrue();
        assertThat(answer.code()).isEqualTo("TOKEN_REVOKED");
    }

    @Test
    void aDemotedAdminCanNeitherCreateCouponsNorPromoteThemselvesWithTheOldToken() {
        var demoter = fixtures.admin();
        var demoted = fixtures.admin();
        assertThat(api.post("/api/v1/coupons", demoted.token(), A_COUPON).status()).isEqualTo(201);

        var demotion = api.put("/api/v1/users/" + demoted.id() + "/role", demoter.token(), Map.of("role", "USER"));

        assertThat(demotion.status()).as(demotion.body()).isEqualTo(200);
        assertRevoked(api.post("/api/v1/coupons", demoted.token(), A_COUPON));
        assertRevoked(api.put("/api/v1/users/" + demoted.id() + "/role", demoted.token(), Map.of("role", "ADMIN")));
        assertThat(roleOf(demoted.id())).isEqualTo("USER");
        assertThat(api.post("/api/v1/coupons", demoter.token(), A_COUPON).status()).isEqualTo(201);
    }

    @Test
    void aPasswordChangeRevokesEveryTokenMintedBefore() {
        var email = "revoke-" + UUID.randomUUID() + "@test.io";
        api.post("/api/v1/auth/signup", null, Map.of("email", email, "password", "first-passw0rd", "nickname", "r"));
        var phone = login(email, "first-passw0rd");
        var laptop = login(email, "first-passw0rd");
        assertThat(api.get("/api/v1/users/me/coupons", laptop).status()).isEqualTo(200);

        var change = api.put("/api/v1/users/me/password", phone, Map.of("oldPassword", "first-passw0rd",
                "newPassword", "second-passw0rd"));

        assertThat(change.status()).isEqualTo(204);
        assertRevoked(api.get("/api/v1/users/me/coupons", laptop));
        assertRevoked(api.get("/api/v1/users/me/coupons", phone));
        assertThat(api.get("/api/v1/users/me/coupons", login(email, "second-passw0rd")).status()).isEqualTo(200);
    }

    @Test
    void aPromotionTakesEffectWithTheNextLoginAndRevokesTheUserToken() {
        var email = "promote-" + UUID.randomUUID() + "@test.io";
        long id = api.post("/api/v1/auth/signup", null, Map.of("email", email, "password", "promo-passw0rd", "nickname", "p"))
                .json().get("id").asLong();
        var userToken = login(email, "promo-passw0rd");

        assertThat(api.put("/api/v1/users/" + id + "/role", fixtures.admin().token(), Map.of("role", "ADMIN")).status())
                .isEqualTo(200);

        assertRevoked(api.get("/api/v1/users/me/coupons", userToken));
        assertThat(api.post("/api/v1/coupons", login(email, "promo-passw0rd"), A_COUPON).status()).isEqualTo(201);
    }

    @Test
    void theLastAdminCannotBeDemoted() {
        var only = fixtures.admin();
        withOnlyAdmins(List.of(only.id()), () -> {
            var other = fixtures.user();
            var self = api.put("/api/v1/users/" + only.id() + "/role", only.token(), Map.of("role", "USER"));

            assertThat(self.status()).as(self.body()).isEqualTo(409);
            assertThat(self.isProblem()).isTrue();
            assertThat(self.code()).isEqualTo("LAST_ADMIN");
            assertThat(roleOf(only.id())).isEqualTo("ADMIN");
            assertThat(api.post("/api/v1/coupons", only.token(), A_COUPON).status()).isEqualTo(201);
            // demoting someone who is not an admin is not a demotion of the last one
            assertThat(api.put("/api/v1/users/" + other.id() + "/role", only.token(), Map.of("role", "USER")).status())
                    .isEqualTo(200);
        });
    }

    /** Two admins demoting each other at once: one wins, the other stays admin. */
    @Test
    void twoAdminsDemotingEachOtherAtOnceLeaveOneAdmin() throws Exception {
        for (int round = 0; round < 5; round++) {
            var a = fixtures.admin();
            var b = fixtures.admin();
            withOnlyAdmins(List.of(a.id(), b.id()), () -> {
                List<Callable<TestApi.Response>> both = List.of(
                        () -> api.put("/api/v1/users/" + b.id() + "/role", a.token(), Map.of("role", "USER")),
                        () -> api.put("/api/v1/users/" + a.id() + "/role", b.token(), Map.of("role", "USER")));
                List<Integer> statuses;
                try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                    statuses = pool.invokeAll(both).stream().map(f -> {
                        try {
                            return f.get().status();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }).toList();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                // the loser hears LAST_ADMIN, or TOKEN_REVOKED when it was authenticated after the winner committed
                assertThat(statuses).containsOnlyOnce(200);
                assertThat(List.of(roleOf(a.id()), roleOf(b.id()))).containsExactlyInAnyOrder("ADMIN", "USER");
            });
        }
    }

    /**
     * Another instance learns of the demotion when its cached account expires: within
     * {@code couponrush.jwt.account-cache-ttl}, measured on its own clock, which the test moves.
     */
    @Test
    void anotherInstanceRefusesTheOldTokenOnceItsCacheExpires() {
        try (var other = new SpringApplicationBuilder(CouponrushApplication.class, TestClockConfig.class)
                .properties("server.port=0", "couponrush.node-id=4",
                        "logging.level.io.couponrush.issuance.IssuanceService=error")
                // no look at the feed after the first: the bound without it is what is tested
                .run("--couponrush.jwt.account-change-poll=1h")) {
            var otherApi = new TestApi(other.getBean(Environment.class).getRequiredProperty("local.server.port", Integer.class));
            var otherClock = other.getBean(MutableClock.class);
            var demoter = fixtures.admin();
            var demoted = fixtures.admin();
            assertThat(otherApi.post("/api/v1/coupons", demoted.token(), A_COUPON).status()).isEqualTo(201);

            assertThat(api.put("/api/v1/users/" + demoted.id() + "/role", demoter.token(), Map.of("role", "USER")).status())
                    .isEqualTo(200);
            otherClock.advance(context.getBean(JwtProperties.class).accountCacheTtl());

            assertRevoked(otherApi.post("/api/v1/coupons", demoted.token(), A_COUPON));
        }
    }

    /**
     * The usual way: another instance hears of the demotion from the change feed it polls (every 500 ms;
     * here one look, taken by the test), long before its cached account would expire.
     */
    @Test
    void anotherInstanceRefusesTheOldTokenAfterOneLookAtTheChangeFeed() {
        try (var other = new SpringApplicationBuilder(CouponrushApplication.class, TestClockConfig.class)
                .properties("server.port=0", "couponrush.node-id=5",
                        "logging.level.io.couponrush.issuance.IssuanceService=error")
                // a run argument (builder properties are defaults application.yml overrides): no look
                // at the feed but the one the test takes
                .run("--couponrush.jwt.account-change-poll=1h")) {
            var otherApi = new TestApi(other.getBean(Environment.class).getRequiredProperty("local.server.port", Integer.class));
            var demoter = fixtures.admin();
            var demoted = fixtures.admin();
            assertThat(otherApi.post("/api/v1/coupons", demoted.token(), A_COUPON).status()).isEqualTo(201);
            assertThat(api.put("/api/v1/users/" + demoted.id() + "/role", demoter.token(), Map.of("role", "USER")).status())
                    .isEqualTo(200);
            assertThat(otherApi.post("/api/v1/coupons", demoted.token(), A_COUPON).status())
                    .as("the other instance still trusts its cached account until it looks at the feed").isEqualTo(201);

            other.getBean(AccountChangeFeed.class).runOnce();

            assertRevoked(otherApi.post("/api/v1/coupons", demoted.token(), A_COUPON));
        }
    }

    /** An instance that starts after a change reads back a token lifetime of changes before it trusts a token. */
    @Test
    void anInstanceStartedAfterADemotionRefusesTheOldTokenWithoutARead() {
        var demoter = fixtures.admin();
        var demoted = fixtures.admin();
        assertThat(api.put("/api/v1/users/" + demoted.id() + "/role", demoter.token(), Map.of("role", "USER")).status())
                .isEqualTo(200);
        try (var other = new SpringApplicationBuilder(CouponrushApplication.class, TestClockConfig.class)
                .properties("server.port=0", "couponrush.node-id=5",
                        "logging.level.io.couponrush.issuance.IssuanceService=error")
                .run("--couponrush.jwt.account-change-poll=1h")) {
            var otherApi = new TestApi(other.getBean(Environment.class).getRequiredProperty("local.server.port", Integer.class));
            long before = other.getBean(CurrentAccounts.class).accountQueries();

            assertRevoked(otherApi.post("/api/v1/coupons", demoted.token(), A_COUPON));
            assertThat(other.getBean(CurrentAccounts.class).accountQueries()).isEqualTo(before);
        }
    }

    /**
     * The opening of a sale: tokens of accounts this instance has never seen are judged from the change
     * feed's word, without a read; a subject newer than the feed's last look, or any token once the feed has
     * not been read for longer than the account cache may be trusted, is read as before.
     */
    @Test
    void judgesTokensOfAccountsItNeverSawWithoutReadingThem() {
        try (var other = new SpringApplicationBuilder(CouponrushApplication.class, TestClockConfig.class)
                .properties("server.port=0", "couponrush.node-id=5",
                        "logging.level.io.couponrush.issuance.IssuanceService=error")
                .run("--couponrush.jwt.account-change-poll=1h")) {
            var otherApi = new TestApi(other.getBean(Environment.class).getRequiredProperty("local.server.port", Integer.class));
            var accounts = other.getBean(CurrentAccounts.class);
            var crowd = fixtures.users(30);
            other.getBean(AccountChangeFeed.class).runOnce();
            long before = accounts.accountQueries();

            for (var person : crowd) {
                assertThat(otherApi.get("/api/v1/users/me/coupons", person.token()).status()).isEqualTo(200);
            }
            assertThat(accounts.accountQueries()).as("no account read for a token the feed vouches for").isEqualTo(before);

            var latecomer = fixtures.user(); // signed up after the feed's last look
            assertThat(otherApi.get("/api/v1/users/me/coupons", latecomer.token()).status()).isEqualTo(200);
            assertThat(accounts.accountQueries()).isEqualTo(before + 1);

            other.getBean(MutableClock.class).advance(context.getBean(JwtProperties.class).accountCacheTtl().plusSeconds(1));
            assertThat(otherApi.get("/api/v1/users/me/coupons", crowd.getFirst().token()).status()).isEqualTo(200);
            assertThat(accounts.accountQueries()).as("the feed went quiet: read again").isEqualTo(before + 2);
        }
    }

    /**
     * Parks every other admin (every test coupon was made by one) for the duration of the check, then
     * puts them back. Nobody else authenticates meanwhile: the tests run one at a time.
     */
    private void withOnlyAdmins(List<Long> keep, Runnable check) {
        var placeholders = String.join(",", keep.stream().map(id -> "?").toList());
        jdbc().update("UPDATE users SET role = 'PARKED' WHERE role = 'ADMIN' AND id NOT IN (" + placeholders + ")",
                keep.toArray());
        try {
            check.run();
        } finally {
            jdbc().update("UPDATE users SET role = 'ADMIN' WHERE role = 'PARKED'");
        }
    }

    private String login(String email, String password) {
        var answer = api.post("/api/v1/auth/login", null, Map.of("email", email, "password", password));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json().get("accessToken").asString();
    }
}
