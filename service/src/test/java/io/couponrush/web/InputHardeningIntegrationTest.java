package io.couponrush.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import io.couponrush.IntegrationTest;
import io.couponrush.support.TestApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Input the API must refuse rather than guess at, read in full, or answer with a stack of HTML:
 * oversized bodies, coerced numbers, impossible dates, invisible names, control characters,
 * passwords BCrypt would truncate, emails that differ only by an accent, malformed requests.
 */
class InputHardeningIntegrationTest extends IntegrationTest {

    private static final String COUPON = """
            {"name":%s,"discountAmount":100,"totalQuantity":%s,"issueStartsAt":"%s","issueEndsAt":"2027-01-01T00:00:00Z"%s}""";

    // --- body size (finding 4) ---

    @Test
    void refusesAnOversizedSignupByItsContentLengthAndWritesNothing() {
        var before = fixtures.tableCounts();
        var body = signup(unique() + "@test.io", "passw0rd-ok", "n".repeat(100_000));

        var answer = api.raw("POST", "/api/v1/auth/signup", null, "application/json", body);

        assertProblem(answer, 413, "PAYLOAD_TOO_LARGE");
        assertThat(fixtures.tableCounts()).isEqualTo(before);
    }

    @Test
    void refusesAnOversizedChunkedSignupAndWritesNothing() throws Exception {
        var before = fixtures.tableCounts();
        var body = signup(unique() + "@test.io", "passw0rd-ok", "n".repeat(100_000)).getBytes(StandardCharsets.UTF_8);
        // no length given: the client sends it chunked, so only counting can find it too large
        var request = HttpRequest.newBuilder(URI.create(base() + "/api/v1/auth/signup"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();

        var answer = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(413);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(TestApi.JSON.readTree(answer.body()).get("code").asString()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(fixtures.tableCounts()).isEqualTo(before);
    }

    @Test
    void acceptsABodyJustUnderTheLimit() {
        var padding = " ".repeat(60_000); // whitespace the parser skips: the body is large, the request valid
        var answer = api.raw("POST", "/api/v1/auth/signup", null, "application/json",
                padding + signup(unique() + "@test.io", "passw0rd-ok", "fits"));

        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
    }

    // --- coercion, dates, text (finding 10) ---

    @ParameterizedTest(name = "totalQuantity {0}")
    @ValueSource(strings = {"1.9", "\"5\"", "null", "true"})
    void refusesAQuantityThatIsNotAnInteger(String quantity) {
        var answer = createCoupon(COUPON.formatted("\"coupon\"", quantity, "2026-01-01T00:00:00Z", ""));

        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.code()).isIn("MALFORMED_REQUEST", "VALIDATION_FAILED");
        assertThat(answer.body()).contains("totalQuantity").doesNotContain("io.couponrush", "java.", "Exception");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"issueEndsAt, +999999-01-01T00:00:00Z", "issueEndsAt, +10000-01-01T00:00:00Z",
            "issueStartsAt, 1999-12-31T23:59:59Z"})
    void refusesADateOutsideTheSupportedYears(String field, String instant) {
        // the window stays ordered, so only the year can be wrong
        var body = field.equals("issueEndsAt")
                ? COUPON.formatted("\"coupon\"", "10", "2026-01-01T00:00:00Z", "").replace("2027-01-01T00:00:00Z", instant)
                : COUPON.formatted("\"coupon\"", "10", instant, "");

        var answer = createCoupon(body);

        assertProblem(answer, 400, "VALIDATION_FAILED");
        assertThat(answer.json().get("errors").get(0).get("field").asString()).isEqualTo(field);
    }

    @ParameterizedTest(name = "name {0}")
    @ValueSource(strings = {"\\u200b\\u200b", "\\u00a0\\u00a0", "\\u2060\\ufeff", "\\u3164", "a\\u0000b", "a\\u001b[2Jb"})
    void refusesACouponNameWithNothingVisibleOrWithControlCharacters(String escapedName) {
        var answer = createCoupon(COUPON.formatted("\"" + escapedName + "\"", "10", "2026-01-01T00:00:00Z", ""));

        assertProblem(answer, 400, "VALIDATION_FAILED");
        assertThat(answer.json().get("errors").toString()).contains("name");
    }

    @Test
    void acceptsAMultiLineDescriptionAndANameWithAccents() {
        var answer = createCoupon(COUPON.formatted("\"Café 10%\"", "10", "2026-01-01T00:00:00Z",
                ", \"description\": \"line one\\nline two\""));

        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
    }

    @ParameterizedTest(name = "nickname {0}")
    @ValueSource(strings = {"\\u200b", "\\u00a0 \\u2003", "nick\\u0000name", "\\u0007"})
    void refusesANicknameWithNothingVisibleOrWithControlCharacters(String escapedNickname) {
        var before = fixtures.tableCounts();

        var answer = api.raw("POST", "/api/v1/auth/signup", null, "application/json",
                "{\"email\":\"" + unique() + "@test.io\",\"password\":\"passw0rd-ok\",\"nickname\":\"" + escapedNickname + "\"}");

        assertProblem(answer, 400, "VALIDATION_FAILED");
        assertThat(answer.json().get("errors").toString()).contains("nickname");
        assertThat(fixtures.tableCounts()).isEqualTo(before);
    }

    @Test
    void emailsThatDifferByAnAccentAreDifferentAccounts() {
        var local = unique();
        var accented = api.post("/api/v1/auth/signup", null,
                Map.of("email", local + "josé@test.io", "password", "passw0rd-accent", "nickname", "josé"));
        var plain = api.post("/api/v1/auth/signup", null,
                Map.of("email", local + "jose@test.io", "password", "passw0rd-plain", "nickname", "jose"));

        assertThat(accented.status()).as(accented.body()).isEqualTo(201);
        assertThat(plain.status()).as(plain.body()).isEqualTo(201);
        assertThat(plain.json().get("id").asString()).isNotEqualTo(accented.json().get("id").asString());
        // one account's password does not open the other
        var crossed = api.post("/api/v1/auth/login", null, Map.of("email", local + "jose@test.io", "password", "passw0rd-accent"));
        assertProblem(crossed, 401, "BAD_CREDENTIALS");
        // case still does not matter: emails are lower-cased on the way in
        var upper = api.post("/api/v1/auth/login", null, Map.of("email", (local + "JOSÉ@test.io").toUpperCase(), "password", "passw0rd-accent"));
        assertThat(upper.status()).as(upper.body()).isEqualTo(200);
    }

    // --- BCrypt's 72 bytes (finding 7) ---

    @Test
    void refusesASignupPasswordOver72BytesNamingTheField() {
        var before = fixtures.tableCounts();
        var password = "a1" + "가".repeat(70); // 72 characters (the old limit), 212 bytes

        var answer = api.post("/api/v1/auth/signup", null,
                Map.of("email", unique() + "@test.io", "password", password, "nickname", "hangul"));

        assertProblem(answer, 400, "VALIDATION_FAILED");
        assertThat(answer.json().get("errors").get(0).get("field").asString()).isEqualTo("password");
        assertThat(fixtures.tableCounts()).isEqualTo(before);
    }

    @Test
    void acceptsASignupPasswordOfExactly72Bytes() {
        var password = "a1" + "é".repeat(35); // 2 + 70 bytes

        var answer = api.post("/api/v1/auth/signup", null,
                Map.of("email", unique() + "@test.io", "password", password, "nickname", "bytes"));

        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
    }

    @Test
    void refusesANewPasswordOver72Bytes() {
        var email = unique() + "@test.io";
        api.post("/api/v1/auth/signup", null, Map.of("email", email, "password", "passw0rd-old", "nickname", "changer"));
        var token = api.post("/api/v1/auth/login", null, Map.of("email", email, "password", "passw0rd-old"))
                .json().get("accessToken").asString();

        var answer = api.put("/api/v1/users/me/password", token,
                Map.of("oldPassword", "passw0rd-old", "newPassword", "a1" + "가".repeat(30)));

        assertProblem(answer, 400, "VALIDATION_FAILED");
        assertThat(answer.json().get("errors").get(0).get("field").asString()).isEqualTo("newPassword");
        assertThat(api.post("/api/v1/auth/login", null, Map.of("email", email, "password", "passw0rd-old")).status())
                .isEqualTo(200);
    }

    @Test
    void aPasswordOver72BytesNeverLogsIn() {
        var email = unique() + "@test.io";
        var password = "a1" + "가".repeat(23) + "b"; // exactly 72 bytes: all BCrypt reads
        assertThat(api.post("/api/v1/auth/signup", null, Map.of("email", email, "password", password, "nickname", "b"))
                .status()).isEqualTo(201);

        var withSuffix = api.post("/api/v1/auth/login", null, Map.of("email", email, "password", password + "whatever"));
        var exact = api.post("/api/v1/auth/login", null, Map.of("email", email, "password", password));

        assertProblem(withSuffix, 401, "BAD_CREDENTIALS");
        assertThat(exact.status()).as(exact.body()).isEqualTo(200);
    }

    // --- requests Tomcat or the firewall refuse before Spring MVC (finding 10) ---

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/api/v1/coupons/%zz", "/api/v1/coupons/%zz/issue", "/api/v1/coupons/1%2F2",
            "/api/v1/coupons/a%00b", "/api/v1/coupons/1;x=y/issue", "/api/v1/coupons/..;/x", "/api/v1/coupons/{x}"})
    void answersAMalformedPathWithAProblem(String path) throws IOException {
        var answer = rawHttp("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 400");
        assertThat(answer).containsIgnoringCase("Content-Type: application/problem+json");
        assertThat(answer).contains("\"code\":\"REQUEST_REJECTED\"").doesNotContain("<html", "Exception", "Tomcat");
    }

    @Test
    void answersOversizedHeadersWithAProblem() throws IOException {
        var answer = rawHttp("GET /api/v1/coupons HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(20_000)
                + "\r\nConnection: close\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 400");
        assertThat(answer).containsIgnoringCase("Content-Type: application/problem+json");
        assertThat(answer).contains("\"code\":\"REQUEST_REJECTED\"").doesNotContain("<html", "Tomcat");
    }

    @Test
    void theErrorPathItselfAnswersAProblem() {
        var answer = api.get("/error", null);

        assertThat(answer.isProblem()).as(answer.contentType()).isTrue();
        assertThat(answer.body()).doesNotContain("Exception", "trace", "timestamp");
    }

    private TestApi.Response createCoupon(String body) {
        return api.raw("POST", "/api/v1/coupons", fixtures.admin().token(), "application/json", body);
    }

    private static void assertProblem(TestApi.Response answer, int status, String code) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.isProblem()).as(answer.contentType()).isTrue();
        assertThat(answer.code()).isEqualTo(code);
        assertThat(answer.body()).doesNotContain("Exception", "\tat ");
    }

    private static String signup(String email, String password, String nickname) {
        return TestApi.JSON.writeValueAsString(Map.of("email", email, "password", password, "nickname", nickname));
    }

    private static String unique() {
        return "in-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private int port() {
        return context.getBean(Environment.class).getRequiredProperty("local.server.port", Integer.class);
    }

    private String base() {
        return "http://127.0.0.1:" + port();
    }

    /** Bytes on the wire, for requests no HTTP client would send. */
    private String rawHttp(String request) throws IOException {
        try (var socket = new Socket("127.0.0.1", port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
