package io.couponrush.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.couponrush.loadtest.integrity.AuditReport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The setup and audit calls of docs/loadtest-contract.md (the load itself goes through Gatling). */
public final class ServiceClient {

    /** Users per fixture call: keeps each answer a few MB. */
    static final int USER_BATCH = 5_000;

    /**
     * The shared secret the service's fixtures ask for (couponrush.loadtest.secret): made up once per
     * harness run, handed to every service it starts through {@link #FIXTURE_SECRET_ENV}, and sent with
     * every fixture call. A service it did not start (and which has another secret) refuses the fixtures.
     */
    public static final String FIXTURE_SECRET = newSecret();
    public static final String FIXTURE_SECRET_ENV = "COUPONRUSH_LOADTEST_SECRET";
    static final String FIXTURE_SECRET_HEADER = "X-Loadtest-Secret";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final URI base;
    private String adminToken;

    public ServiceClient(URI base) {
        this.base = base;
    }

    public void loginAdmin() throws IOException, InterruptedException {
        adminToken = send("POST", "/api/v1/loadtest/admin-token", null, null, 200).path("token").asText(null);
        if (adminToken == null || adminToken.isBlank()) {
            throw new IOException("admin-token fixture answered without a token");
        }
    }

    /** One account of the bulk fixture: its id (the token's subject, the rows' {@code user_id}) and token. */
    public record Account(long id, String token) {
    }

    /** Creates {@code count} users through the bulk fixture and returns their tokens. */
    List<String> createUsers(int count) throws IOException, InterruptedException {
        return createAccounts(count).stream().map(Account::token).toList();
    }

    /** Creates {@code count} users through the bulk fixture. */
    public List<Account> createAccounts(int count) throws IOException, InterruptedException {
        return fixtureUsers(count, Map.of()).stream()
                .map(user -> new Account(JsonIds.of(user.path("id"), 0), user.path("token").asText())).toList();
    }

    /**
     * An account of the bulk fixture that can log in: its email, and with sessions the refresh token of a
     * session started for it (as a login starts one); {@code refreshToken} is {@code null} without.
     */
    public record Credentials(long id, String token, String email, String refreshToken) {
    }

    /**
     * Creates {@code count} users that share {@code password} (hashed once by the fixture, so each login
     * costs one BCrypt check), whose access tokens live {@code accessTokenSeconds}, each with a session
     * when {@code sessions}.
     */
    public List<Credentials> createCredentials(int count, String password, int accessTokenSeconds, boolean sessions)
            throws IOException, InterruptedException {
        var users = fixtureUsers(count, Map.of("password", password, "accessTokenSeconds", accessTokenSeconds,
                "sessions", sessions));
        var credentials = new ArrayList<Credentials>(users.size());
        for (var user : users) {
            var refresh = user.path("refreshToken");
            if (sessions && !refresh.isTextual()) {
                throw new IOException("users fixture answered a user without the session asked for: " + user);
            }
            credentials.add(new Credentials(JsonIds.of(user.path("id"), 0), user.path("token").asText(),
                    user.path("email").asText(), refresh.isTextual() ? refresh.asText() : null));
        }
        return credentials;
    }

    private List<JsonNode> fixtureUsers(int count, Map<String, Object> options) throws IOException, InterruptedException {
        var all = new ArrayList<JsonNode>(count);
        while (all.size() < count) {
            int batch = Math.min(USER_BATCH, count - all.size());
            var body = new LinkedHashMap<String, Object>(options);
            body.put("count", batch);
            var users = send("POST", "/api/v1/loadtest/users", body, null, 200).path("users");
            if (!users.isArray() || users.size() != batch) {
                throw new IOException("users fixture answered " + users.size() + " users, " + batch + " asked");
            }
            for (var user : users) {
                if (JsonIds.of(user.path("id"), 0) <= 0) {
                    throw new IOException("users fixture answered a user without an id: " + user);
                }
                all.add(user);
            }
        }
        return all;
    }

    /** The instance's metrics in Prometheus's text format ({@code GET /actuator/prometheus}, ADMIN only). */
    public String prometheusText() throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(base.resolve("/actuator/prometheus")).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + adminToken).GET().build();
        var response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET /actuator/prometheus answered " + response.statusCode());
        }
        return response.body();
    }

    public long createCoupon(String name, String strategy, int total, int perUserLimit, Instant now)
            throws IOException, InterruptedException {
        return createCoupon(name, strategy, total, perUserLimit, now.minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS),
                now.plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS));
    }

    /**
     * A coupon whose window is exactly {@code [opens, closes)}. A strategy written {@code redis-gate:3} is
     * {@code redis-gate} with its gate split into three sub-gates ({@code subGates}).
     */
    public long createCoupon(String name, String strategy, int total, int perUserLimit, Instant opens, Instant closes)
            throws IOException, InterruptedException {
        var body = new LinkedHashMap<String, Object>();
        body.put("name", name);
        body.put("description", "created by the couponrush bench runner");
        body.put("discountAmount", 1000);
        body.put("totalQuantity", total);
        body.put("perUserLimit", perUserLimit);
        body.put("issueStartsAt", opens.toString());
        body.put("issueEndsAt", closes.toString());
        int split = strategy.indexOf(':');
        body.put("strategy", split < 0 ? strategy : strategy.substring(0, split));
        if (split >= 0) {
            body.put("subGates", Integer.parseInt(strategy.substring(split + 1)));
        }
        var coupon = send("POST", "/api/v1/coupons", body, adminToken, 201);
        long id = JsonIds.of(coupon.path("id"), 0);
        if (id <= 0) {
            throw new IOException("coupon created without an id: " + coupon);
        }
        return id;
    }

    /**
     * Creates a coupon from a body of the caller's making (a waiting room, redemption terms, …) and answers
     * the created coupon as the service wrote it.
     */
    public JsonNode createCoupon(Map<String, Object> body) throws IOException, InterruptedException {
        var coupon = send("POST", "/api/v1/coupons", body, adminToken, 201);
        if (JsonIds.of(coupon.path("id"), 0) <= 0) {
            throw new IOException("coupon created without an id: " + coupon);
        }
        return coupon;
    }

    /** A GET anyone may make (no token), expecting 200. */
    public JsonNode getPublic(String path) throws IOException, InterruptedException {
        return send("GET", path, null, null, 200);
    }

    /** One copy of the coupon issued to the token's user: its {@code userCouponId}. */
    public long issue(long couponId, String userToken) throws IOException, InterruptedException {
        var grant = send("POST", "/api/v1/coupons/" + couponId + "/issue", null, userToken, 201);
        long id = JsonIds.of(grant.path("userCouponId"), 0);
        if (id <= 0) {
            throw new IOException("issue answered 201 without a userCouponId: " + grant);
        }
        return id;
    }

    /** A call to the service that may fail with an I/O error. */
    @FunctionalInterface
    public interface Call<T> {
        T call() throws IOException, InterruptedException;
    }

    /**
     * Asks again after a failure (a 503 says to), up to 5 times a second apart; {@code null}, with the reason
     * told to {@code say}, when it never answered (the caller's verdict then reports the missing answer).
     */
    public static <T> T patiently(Call<T> call, String what, java.util.function.Consumer<String> say) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.call();
            } catch (IOException e) {
                if (attempt == 5) {
                    say.accept(what + " did not answer: " + e.getMessage());
                    return null;
                }
                Thread.sleep(1_000); // the service said to come back later; nothing to wait on but time
            }
        }
    }

    /** The audit endpoint's whole answer, arrival order included. */
    public JsonNode auditJson(long couponId) throws IOException, InterruptedException {
        return send("GET", "/api/v1/admin/coupons/" + couponId + "/audit", null, adminToken, 200);
    }

    public AuditReport audit(long couponId) throws IOException, InterruptedException {
        var audit = send("GET", "/api/v1/admin/coupons/" + couponId + "/audit", null, adminToken, 200);
        for (var field : List.of("total", "remaining", "issuedRows", "usersOverLimit", "consistent")) {
            if (!audit.has(field)) {
                throw new IOException("audit answer lacks '" + field + "': " + audit);
            }
        }
        return new AuditReport(
                JsonIds.of(audit.path("couponId"), couponId),
                audit.path("total").asLong(),
                audit.path("remaining").asLong(),
                audit.path("issuedRows").asLong(),
                audit.path("distinctUsers").asLong(),
                audit.path("usersOverLimit").asLong(),
                audit.path("consistent").asBoolean());
    }

    private static String newSecret() {
        var bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private JsonNode send(String method, String path, Object body, String token, int expected)
            throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(120))
                .header("Accept", "application/json")
                .method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (path.startsWith("/api/v1/loadtest/")) {
            request.header(FIXTURE_SECRET_HEADER, FIXTURE_SECRET);
        }
        var response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            var text = response.body();
            throw new IOException("%s %s answered %d (expected %d): %s".formatted(method, path, response.statusCode(),
                    expected, text.length() > 500 ? text.substring(0, 500) + "…" : text));
        }
        return json.readTree(response.body());
    }
}
