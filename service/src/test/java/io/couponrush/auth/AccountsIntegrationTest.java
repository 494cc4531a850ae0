package io.couponrush.auth;

import java.util.Map;
import java.util.UUID;

import io.couponrush.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

class AccountsIntegrationTest extends IntegrationTest {

    @Test
    void signsUpLogsInAndChangesPassword() {
        var email = "walk-" + UUID.randomUUID() + "@test.io";
        var signup = api.post("/api/v1/auth/signup", null, Map.of("email", email, "password", "first-passw0rd", "nickname", "walker"));
        assertThat(signup.status()).isEqualTo(201);
        assertThat(signup.headers().firstValue("Location")).hasValue("/api/v1/users/" + signup.json().get("id").asLong());
        assertThat(signup.body()).doesNotContain("passw0rd", "hash");

        var login = api.post("/api/v1/auth/login", null, Map.of("email", email.toUpperCase(), "password", "first-passw0rd"));
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.json().get("tokenType").asString()).isEqualTo("Bearer");
        assertThat(login.json().get("expiresIn").asLong()).isPositive();
        var token = login.json().get("accessToken").asString();

        var change = api.put("/api/v1/users/me/password", token, Map.of("oldPassword", "first-passw0rd", "newPassword", "second-passw0rd"));
        assertThat(change.status()).isEqualTo(204);
        assertThat(api.post("/api/v1/auth/login", null, Map.of("email", email, "password", "first-passw0rd")).code())
                .isEqualTo("BAD_CREDENTIALS");
        assertThat(api.post("/api/v1/auth/login", null, Map.of("email", email, "password", "second-passw0rd")).status())
                .isEqualTo(200);
    }

    @Test
    void adminPromotesAUserWhoseNextTokenCarriesTheRole() {
        var email = "promo-" + UUID.randomUUID() + "@test.io";
        long id = api.post("/api/v1/auth/signup", null, Map.of("email", email, "password", "promo-passw0rd", "nickname", "p"))
                .json().get("id").asLong();

        var promoted = api.put("/api/v1/users/" + id + "/role", fixtures.admin().token(), Map.of("role", "ADMIN"));
        assertThat(promoted.status()).isEqualTo(200);
        assertThat(promoted.json().get("role").asString()).isEqualTo("ADMIN");

        var token = api.post("/api/v1/auth/login", null, Map.of("email", email, "password", "promo-passw0rd"))
                .json().get("accessToken").asString();
        var audit = api.get("/api/v1/admin/coupons/" + fixtures.coupon("atomic", 1, 1) + "/audit", token);
        assertThat(audit.status()).isEqualTo(200);
    }

    /** The user comes from the token's subject; a user id smuggled into the request is ignored. */
    @Test
    void issuesToTheTokensSubjectOnly() {
        long coupon = fixtures.coupon("atomic", 5, 1);
        var me = fixtures.user();
        var other = fixtures.user();

        var answer = api.post("/api/v1/coupons/" + coupon + "/issue?userId=" + other.id(), me.token(),
                Map.of("userId", other.id()));

        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.json().get("userId").asLong()).isEqualTo(me.id());
        assertThat(fixtures.rowsOf(coupon, me.id())).isEqualTo(1);
        assertThat(fixtures.rowsOf(coupon, other.id())).isZero();
        var mine = api.get("/api/v1/users/me/coupons", me.token());
        assertThat(mine.json().get(0).get("couponId").asLong()).isEqualTo(coupon);
        assertThat(api.get("/api/v1/users/me/coupons", other.token()).json().size()).isZero();
    }

    /** The development admin exists only where the embedded database was started. */
    @Test
    void developmentAdminExistsOnlyInTheEmbeddedRun() {
        boolean embedded = context.getBean(Environment.class).getProperty("couponrush.embedded.active", Boolean.class, false);

        var login = api.post("/api/v1/auth/login", null, Map.of("email", "admin@couponrush.local", "password", "admin-password-1"));

        assertThat(login.status()).isEqualTo(embedded ? 200 : 401);
    }
}
