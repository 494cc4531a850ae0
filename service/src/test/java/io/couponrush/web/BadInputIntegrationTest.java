package io.couponrush.web;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.jwk.source.ImmutableSecret;
import io.couponrush.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input of every kind, through the real server: the answer has the right status, is
 * problem+json with a stable code, and no table gained or lost a row (I4).
 */
class BadInputIntegrationTest extends IntegrationTest {

    enum Who { NOBODY, USER, ADMIN, EXPIRED, TAMPERED, WRONG_SIGNATURE, GARBAGE }

    private Map<Who, String> tokens;
    private long coupon;
    private long userId;

    @BeforeEach
    void prepare() {
        var user = fixtures.user();
        userId = user.id();
        var admin = fixtures.admin();
        coupon = fixtures.coupon("atomic", 10, 1);
        api.post("/api/v1/auth/signup", null, Map.of("email", "taken@test.io", "password", "passw0rd-taken",
                "nickname", "taken"));
        tokens = Map.of(
                Who.USER, user.token(),
                Who.ADMIN, admin.token(),
                Who.EXPIRED, expired(user.id()),
                Who.TAMPERED, tampered(user.token()),
                Who.WRONG_SIGNATURE, signedWith("another-secret-that-is-long-enough-for-hs256", user.id()),
                Who.GARBAGE, "not.a.jwt");
    }

    static Stream<Arguments> cases() {
        var validCoupon = """
                {"name":"n","discountAmount":100,"totalQuantity":10,"issueStartsAt":"2026-01-01T00:00:00Z",
                 "issueEndsAt":"2027-01-01T00:00:00Z" %s}""";
        return Stream.of(
                // coupon creation: body problems
                Arguments.of("malformed JSON", "POST", "/api/v1/coupons", Who.ADMIN, "application/json", "{\"name\":", 400, "MALFORMED_REQUEST"),
                Arguments.of("empty body", "POST", "/api/v1/coupons", Who.ADMIN, "application/json", "", 400, "MALFORMED_REQUEST"),
                Arguments.of("wrong content type", "POST", "/api/v1/coupons", Who.ADMIN, "text/plain", "hello", 415, "UNSUPPORTED_MEDIA_TYPE"),
                Arguments.of("missing fields", "POST", "/api/v1/coupons", Who.ADMIN, "application/json", "{}", 400, "VALIDATION_FAILED"),
                Arguments.of("blank name", "POST", "/api/v1/coupons", Who.ADMIN, "application/json", validCoupon.formatted(", \"name\":\"  \"").replace("\"name\":\"n\",", ""), 400, "VALIDATION_FAILED"),
                Arguments.of("overlong name", "POST", "/api/v1/coupons", Who.ADMIN, "application/json", validCoupon.replace("\"n\"", "\"" + "x".repeat(101) + "\"").formatted(""), 400, "VALIDATION_FAILED"),
                Arguments.of("negative quantity", "POST", "/api/v1/coupons", Who.ADMIN, "application/json", validCoupon.replace("10,", "-5,").formatted(""), 400, "VALIDATION_FAILED"),
                Arguments.of("zero quantity", "POST", "/api/v1/coupons", Who.ADMIN, "application/json", validCoupon.replace("10,", "0,").formatted(""), 400, "VALIDATION_FAILED"),
                Arguments.of("huge quantity", "POST", "/api/v1/coupons", Who.ADMIN, "application/json", validCoupon.replace("10,", "1000000000,").formatted(""), 400, "VALIDATION_FAILED"),
                Arguments.of("quantity beyond int", "POST", "/api/v1/coupons", Who.ADMIN, "application/json", validCoupon.replace("10,", "99999999999999,").formatted(""), 400, "MALFORMED_REQUEST"),
                Arguments.of("zero discount", "POST", "/api/v1/coupons", Who.ADMIN, "application/json", validCoupon.replace("100,", "0,").formatted(""), 400, "VALIDATION_FAILED"),
                Arguments.of("negative per-user limit", "POST", "/api/v1/coupons", Who.ADMIN, "application/json", validCoupon.formatted(", \"perUserLimit\": -1"), 400, "VALIDATION_FAILED"),
                Arguments.of("start after end", "POST", "/api/v1/coupons", Who.ADMIN, "application/json", validCoupon.replace("2026-01-01", "2028-01-01").formatted(""), 400, "VALIDATION_FAILED"),
                Arguments.of("unknown strategy", "POST", "/api/v1/coupons", Who.ADMIN, "application/json", validCoupon.formatted(", \"strategy\":\"magic\""), 400, "VALIDATION_FAILED"),
                Arguments.of("bad date", "POST", "/api/v1/coupons", Who.ADMIN, "application/json", validCoupon.replace("2026-01-01T00:00:00Z", "yesterday").formatted(""), 400, "MALFORMED_REQUEST"),
                // ids
                Arguments.of("unknown coupon", "GET", "/api/v1/coupons/987654321", Who.USER, null, "", 404, "COUPON_NOT_FOUND"),
                Arguments.of("unknown coupon audit", "GET", "/api/v1/admin/coupons/987654321/audit", Who.ADMIN, null, "", 404, "COUPON_NOT_FOUND"),
                Arguments.of("non-numeric id", "GET", "/api/v1/coupons/abc", Who.USER, null, "", 400, "VALIDATION_FAILED"),
                Arguments.of("non-numeric issue id", "POST", "/api/v1/coupons/abc/issue", Who.USER, null, "", 400, "VALIDATION_FAILED"),
                Arguments.of("bad page size", "GET", "/api/v1/coupons?size=1000", Who.USER, null, "", 400, "VALIDATION_FAILED"),
                Arguments.of("unknown path", "GET", "/api/v1/nothing-here", Who.USER, null, "", 404, "NOT_FOUND"),
                Arguments.of("wrong method", "DELETE", "/api/v1/coupons/1", Who.ADMIN, null, "", 405, "METHOD_NOT_ALLOWED"),
                // tokens
                Arguments.of("missing token", "POST", "/api/v1/coupons/{coupon}/issue", Who.NOBODY, null, "", 401, "UNAUTHORIZED"),
                Arguments.of("expired token", "POST", "/api/v1/coupons/{coupon}/issue", Who.EXPIRED, null, "", 401, "UNAUTHORIZED"),
                Arguments.of("tampered token", "POST", "/api/v1/coupons/{coupon}/issue", Who.TAMPERED, null, "", 401, "UNAUTHORIZED"),
                Arguments.of("wrong signature", "POST", "/api/v1/coupons/{coupon}/issue", Who.WRONG_SIGNATURE, null, "", 401, "UNAUTHORIZED"),
                Arguments.of("garbage token", "GET", "/api/v1/users/me/coupons", Who.GARBAGE, null, "", 401, "UNAUTHORIZED"),
                // roles
                Arguments.of("user creates coupon", "POST", "/api/v1/coupons", Who.USER, "application/json", validCoupon.formatted(""), 403, "FORBIDDEN"),
                Arguments.of("user reads audit", "GET", "/api/v1/admin/coupons/{coupon}/audit", Who.USER, null, "", 403, "FORBIDDEN"),
                Arguments.of("user changes a role", "PUT", "/api/v1/users/{user}/role", Who.USER, "application/json", "{\"role\":\"ADMIN\"}", 403, "FORBIDDEN"),
                Arguments.of("unknown role", "PUT", "/api/v1/users/{user}/role", Who.ADMIN, "application/json", "{\"role\":\"GOD\"}", 400, "MALFORMED_REQUEST"),
                Arguments.of("role of unknown user", "PUT", "/api/v1/users/987654321/role", Who.ADMIN, "application/json", "{\"role\":\"ADMIN\"}", 404, "USER_NOT_FOUND"),
                // accounts
                Arguments.of("duplicate signup", "POST", "/api/v1/auth/signup", Who.NOBODY, "application/json", "{\"email\":\"TAKEN@test.io\",\"password\":\"passw0rd-x\",\"nickname\":\"again\"}", 409, "EMAIL_TAKEN"),
                Arguments.of("short password", "POST", "/api/v1/auth/signup", Who.NOBODY, "application/json", "{\"email\":\"new1@test.io\",\"password\":\"a1\",\"nickname\":\"n\"}", 400, "VALIDATION_FAILED"),
                Arguments.of("password without digit", "POST", "/api/v1/auth/signup", Who.NOBODY, "application/json", "{\"email\":\"new2@test.io\",\"password\":\"onlyletters\",\"nickname\":\"n\"}", 400, "VALIDATION_FAILED"),
                Arguments.of("invalid email", "POST", "/api/v1/auth/signup", Who.NOBODY, "application/json", "{\"email\":\"not-an-email\",\"password\":\"passw0rd-x\",\"nickname\":\"n\"}", 400, "VALIDATION_FAILED"),
                Arguments.of("overlong nickname", "POST", "/api/v1/auth/signup", Who.NOBODY, "application/json", "{\"email\":\"new3@test.io\",\"password\":\"passw0rd-x\",\"nickname\":\"" + "n".repeat(41) + "\"}", 400, "VALIDATION_FAILED"),
                Arguments.of("wrong password", "POST", "/api/v1/auth/login", Who.NOBODY, "application/json", "{\"email\":\"taken@test.io\",\"password\":\"wrong-passw0rd\"}", 401, "BAD_CREDENTIALS"),
                Arguments.of("unknown account", "POST", "/api/v1/auth/login", Who.NOBODY, "application/json", "{\"email\":\"nobody@test.io\",\"password\":\"passw0rd-x\"}", 401, "BAD_CREDENTIALS"),
                Arguments.of("wrong old password", "PUT", "/api/v1/users/me/password", Who.USER, "application/json", "{\"oldPassword\":\"wrong-passw0rd\",\"newPassword\":\"passw0rd-new\"}", 401, "BAD_CREDENTIALS"),
                Arguments.of("weak new password", "PUT", "/api/v1/users/me/password", Who.USER, "application/json", "{\"oldPassword\":\"whatever1\",\"newPassword\":\"short\"}", 400, "VALIDATION_FAILED"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersBadInputWithAProblemAndWritesNothing(String name, String method, String path, Who who,
            String contentType, String body, int status, String code) {
        var before = fixtures.tableCounts();

        var answer = api.raw(method, path.replace("{coupon}", Long.toString(coupon)).replace("{user}", Long.toString(userId)),
                tokens.get(who), contentType, body);

        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.isProblem()).as(answer.contentType()).isTrue();
        assertThat(answer.code()).isEqualTo(code);
        assertThat(answer.json().get("status").asInt()).isEqualTo(status);
        assertThat(answer.body()).doesNotContain("Exception", "\tat ", "trace");
        if (status == 401) {
            assertThat(answer.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        }
        assertThat(fixtures.tableCounts()).isEqualTo(before);
        assertThat(fixtures.remaining(coupon)).isEqualTo(10);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void listsTheBadFieldsOfAValidationFailure(String name, String method, String path, Who who,
            String contentType, String body, int status, String code) {
        if (!"VALIDATION_FAILED".equals(code) || !body.startsWith("{")) {
            return; // only body validation failures name fields
        }
        var answer = api.raw(method, path, tokens.get(who), contentType, body);

        assertThat(answer.json().get("errors").isArray()).isTrue();
        assertThat(answer.json().get("errors").size()).isPositive();
        assertThat(answer.json().get("errors").get(0).get("field").asString()).isNotBlank();
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"", "   ", "\"\"", "has space"})
    void refusesAnUnusableIdempotencyKeyAndWritesNothing(String key) {
        assertRefusedKey(key);
    }

    @org.junit.jupiter.api.Test
    void refusesAnIdempotencyKeyLongerThan255Characters() {
        assertRefusedKey("k".repeat(256));
    }

    private void assertRefusedKey(String key) {
        var before = fixtures.tableCounts();

        var answer = api.postWithHeaders("/api/v1/coupons/" + coupon + "/issue", tokens.get(Who.USER),
                Map.of("Idempotency-Key", key));

        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.code()).isEqualTo("VALIDATION_FAILED");
        assertThat(answer.json().get("errors").get(0).get("field").asString()).isEqualTo("Idempotency-Key");
        assertThat(fixtures.tableCounts()).isEqualTo(before);
        assertThat(fixtures.remaining(coupon)).isEqualTo(10);
    }

    private String expired(long userId) {
        var encoder = context.getBean(JwtEncoder.class);
        var past = clock.instant().minus(Duration.ofHours(3));
        return encode(encoder, userId, past);
    }

    private static String signedWith(String secret, long userId) {
        var key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        return encode(new NimbusJwtEncoder(new ImmutableSecret<>(key)), userId, java.time.Instant.now());
    }

    private static String encode(JwtEncoder encoder, long userId, java.time.Instant issuedAt) {
        var claims = JwtClaimsSet.builder().issuer("couponrush").subject(Long.toString(userId))
                .issuedAt(issuedAt).expiresAt(issuedAt.plus(Duration.ofHours(1)))
                .claim("roles", List.of("USER")).build();
        return encoder.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims)).getTokenValue();
    }

    /** Same signature, different payload: claims the token belongs to an admin. */
    private static String tampered(String token) {
        var parts = token.split("\\.");
        var payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"USER\"", "\"ADMIN\"");
        return parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];
    }

}
