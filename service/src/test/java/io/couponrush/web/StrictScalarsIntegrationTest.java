package io.couponrush.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import io.couponrush.IntegrationTest;
import io.couponrush.support.TestApi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A scalar of another type than the OpenAPI document gives is refused, never converted: a number or a
 * boolean where a string belongs, a blank or NUL string where a number belongs, a number where a date
 * belongs, a number for an enum; in a query, a value that is empty, not decimal digits, given twice, or
 * not valid %-encoding. Each answer is 400 problem+json naming the field, and nothing is written.
 */
class StrictScalarsIntegrationTest extends IntegrationTest {

    enum Endpoint { SIGNUP, LOGIN, CREATE_COUPON, CHANGE_PASSWORD, CHANGE_ROLE }

    // JSON literals: for string fields, for integer fields, for date fields
    private static final List<String> NOT_TEXT = List.of("0", "1.5", "true", "false");
    private static final List<String> BLANK_TEXT = List.of("\"\"", "\"\\u0000\"", "\"  \"", "\"\\t\"");
    private static final List<String> NUMBERS = List.of("0", "1767225600", "1.5", "\"1767225600\"", "\"0\"");

    private String adminToken;
    private String userToken;
    private long userId;
    private String email;

    @BeforeEach
    void accounts() {
        adminToken = fixtures.admin().token();
        var user = fixtures.user();
        userToken = user.token();
        userId = user.id();
        email = "strict-" + UUID.randomUUID().toString().substring(0, 8) + "@test.io";
    }

    static Stream<Arguments> wrongScalars() {
        var cases = new ArrayList<Arguments>();
        for (var field : List.of("email", "password", "nickname")) {
            NOT_TEXT.forEach(bad -> cases.add(Arguments.of(Endpoint.SIGNUP, field, bad)));
        }
        for (var field : List.of("email", "password")) {
            NOT_TEXT.forEach(bad -> cases.add(Arguments.of(Endpoint.LOGIN, field, bad)));
        }
        for (var field : List.of("name", "description", "strategy")) {
            NOT_TEXT.forEach(bad -> cases.add(Arguments.of(Endpoint.CREATE_COUPON, field, bad)));
        }
        for (var field : List.of("discountAmount", "totalQuantity", "perUserLimit")) {
            BLANK_TEXT.forEach(bad -> cases.add(Arguments.of(Endpoint.CREATE_COUPON, field, bad)));
        }
        for (var field : List.of("issueStartsAt", "issueEndsAt")) {
            NUMBERS.forEach(bad -> cases.add(Arguments.of(Endpoint.CREATE_COUPON, field, bad)));
        }
        for (var field : List.of("oldPassword", "newPassword")) {
            NOT_TEXT.forEach(bad -> cases.add(Arguments.of(Endpoint.CHANGE_PASSWORD, field, bad)));
        }
        for (var bad : List.of("0", "1", "1.0", "true", "\"\"", "\" \"", "\"\\u0000\"")) {
            cases.add(Arguments.of(Endpoint.CHANGE_ROLE, "role", bad));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}: {2}")
    @MethodSource("wrongScalars")
    void refusesAScalarOfTheWrongTypeNamingTheFieldAndWritesNothing(Endpoint endpoint, String field, String bad) {
        var body = validBody(endpoint);
        body.set(field, TestApi.JSON.readTree(bad));
        var before = written();

        var answer = send(endpoint, body.toString());

        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.isProblem()).as(answer.contentType()).isTrue();
        assertThat(answer.code()).isEqualTo("MALFORMED_REQUEST");
        assertThat(answer.json().get("errors").get(0).get("field").asString()).isEqualTo(field);
        assertThat(answer.body()).doesNotContain("Exception", "java.", "tools.jackson");
        assertThat(written()).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void acceptsTheSameRequestsWhenEveryScalarHasItsType(Endpoint endpoint) {
        if (endpoint == Endpoint.LOGIN) {
            var signup = send(Endpoint.SIGNUP, validBody(Endpoint.SIGNUP).toString());
            assertThat(signup.status()).as(signup.body()).isEqualTo(201);
        }

        var answer = send(endpoint, validBody(endpoint).toString());

        switch (endpoint) {
            case SIGNUP -> assertThat(answer.status()).as(answer.body()).isEqualTo(201);
            case LOGIN -> assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            case CREATE_COUPON -> assertThat(answer.status()).as(answer.body()).isEqualTo(201);
            // the fixture account's hash is no real one: the body was read, the old password is wrong
            case CHANGE_PASSWORD -> assertThat(answer.code()).isEqualTo("BAD_CREDENTIALS");
            case CHANGE_ROLE -> assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        }
    }

    static Stream<Endpoint> endpoints() {
        return Stream.of(Endpoint.values());
    }

    @ParameterizedTest(name = "?{0}")
    @CsvSource(delimiter = '|', value = {
            "page=%ZZ | page", "size=%ZZ | size", "page=1&size=%G1 | size", "page=% | page", "size=2% | size",
            "page=%C3%28 | page", "page= | page", "size= | size", "page=%00 | page", "size=%00 | size",
            "page=%20 | page", "page=+1 | page", "page=0x10 | page", "size=1e1 | size", "size=5.0 | size",
            "page=true | page", "page=1&page=2 | page"})
    void refusesAQueryValueThatIsNotAPlainNumberNamingIt(String query, String field) throws IOException {
        var answer = rawGet("/api/v1/coupons?" + query);

        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        var problem = TestApi.JSON.readTree(answer.body());
        assertThat(problem.get("code").asString()).isEqualTo("VALIDATION_FAILED");
        assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo(field);
        assertThat(answer.body()).doesNotContain("Exception", "java.", "Tomcat");
    }

    @Test
    void refusesAQueryWhoseNameCannotBeDecodedSayingTheQueryIsMalformed() throws IOException {
        var answer = rawGet("/api/v1/coupons?%ZZ=1");

        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        var problem = TestApi.JSON.readTree(answer.body());
        assertThat(problem.get("code").asString()).isEqualTo("VALIDATION_FAILED");
        assertThat(problem.get("detail").asString().toLowerCase(Locale.ROOT)).contains("query");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"/api/v1/coupons/0x10", "/api/v1/coupons/+5", "/api/v1/coupons/1e3"})
    void refusesAnIdThatIsNotDecimalDigitsNamingIt(String path) throws IOException {
        var answer = rawGet(path);

        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        var problem = TestApi.JSON.readTree(answer.body());
        assertThat(problem.get("code").asString()).isEqualTo("VALIDATION_FAILED");
        assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("id");
    }

    @Test
    void acceptsAPlainQuery() {
        var answer = api.get("/api/v1/coupons?page=0&size=1", userToken);

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().get("size").asInt()).isEqualTo(1);
    }

    private ObjectNode validBody(Endpoint endpoint) {
        var body = new LinkedHashMap<String, Object>();
        switch (endpoint) {
            case SIGNUP -> {
                body.put("email", email);
                body.put("password", "passw0rd-strict");
                body.put("nickname", "strict");
            }
            case LOGIN -> {
                body.put("email", email);
                body.put("password", "passw0rd-strict");
            }
            case CREATE_COUPON -> {
                body.put("name", "strict coupon");
                body.put("description", "typed");
                body.put("discountAmount", 100);
                body.put("totalQuantity", 10);
                body.put("perUserLimit", 2);
                body.put("issueStartsAt", "2026-01-01T00:00:00Z");
                body.put("issueEndsAt", "2027-01-01T00:00:00+00:00");
                body.put("strategy", "atomic");
            }
            case CHANGE_PASSWORD -> {
                body.put("oldPassword", "passw0rd-old");
                body.put("newPassword", "passw0rd-new");
            }
            case CHANGE_ROLE -> body.put("role", "USER");
        }
        return (ObjectNode) TestApi.JSON.valueToTree(body);
    }

    private TestApi.Response send(Endpoint endpoint, String body) {
        return switch (endpoint) {
            case SIGNUP -> api.raw("POST", "/api/v1/auth/signup", null, "application/json", body);
            case LOGIN -> api.raw("POST", "/api/v1/auth/login", null, "application/json", body);
            case CREATE_COUPON -> api.raw("POST", "/api/v1/coupons", adminToken, "application/json", body);
            case CHANGE_PASSWORD -> api.raw("PUT", "/api/v1/users/me/password", userToken, "application/json", body);
            case CHANGE_ROLE -> api.raw("PUT", "/api/v1/users/" + userId + "/role", adminToken, "application/json", body);
        };
    }

    /** Every table's row count, and the account a password or role change would write to. */
    private Map<String, Object> written() {
        var jdbc = context.getBean(JdbcTemplate.class);
        var state = new LinkedHashMap<String, Object>(fixtures.tableCounts());
        state.put("account", jdbc.queryForMap("SELECT role, password_hash FROM users WHERE id = ?", userId));
        return state;
    }

    private record RawAnswer(int status, String contentType, String body) {
    }

    /** Bytes on the wire: {@code java.net.URI} refuses to carry a malformed %-escape at all. */
    private RawAnswer rawGet(String target) throws IOException {
        int port = context.getBean(Environment.class).getRequiredProperty("local.server.port", Integer.class);
        try (var socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            var request = "GET " + target + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + userToken
                    + "\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return parse(socket.getInputStream());
        }
    }

    private static RawAnswer parse(InputStream in) throws IOException {
        var raw = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        int split = raw.indexOf("\r\n\r\n");
        var head = raw.substring(0, split).split("\r\n");
        var body = raw.substring(split + 4);
        int status = Integer.parseInt(head[0].split(" ")[1]);
        String contentType = "";
        boolean chunked = false;
        for (var line : head) {
            var lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-type:")) {
                contentType = line.substring(line.indexOf(':') + 1).strip();
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        if (chunked) {
            var out = new ByteArrayOutputStream();
            int at = 0;
            while (true) {
                int end = body.indexOf("\r\n", at);
                int size = Integer.parseInt(body.substring(at, end).split(";")[0].strip(), 16);
                if (size == 0) {
                    break;
                }
                out.write(body.substring(end + 2, end + 2 + size).getBytes(StandardCharsets.ISO_8859_1));
                at = end + 2 + size + 2;
            }
            body = out.toString(StandardCharsets.ISO_8859_1);
        }
        return new RawAnswer(status, contentType, new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
    }

}
