package io.couponrush.ratelimit;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.couponrush.IntegrationTest;
import io.couponrush.support.TestApi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The abuse limits over HTTP, with limits small enough to reach: 429 problem+json {@code RATE_LIMITED}
 * with {@code Retry-After}, nothing done or written, buckets shared across instances, the client's
 * own {@code X-Forwarded-For} ignored unless it comes through a trusted proxy.
 */
@TestPropertySource(properties = {
        "couponrush.rate-limits.login-per-ip.capacity=4",
        "couponrush.rate-limits.login-per-ip.refill-period=1m",
        "couponrush.rate-limits.login-per-email.capacity=2",
        "couponrush.rate-limits.login-per-email.refill-period=10m",
        "couponrush.rate-limits.login-per-device.capacity=2",
        "couponrush.rate-limits.login-per-device.refill-period=10m",
        "couponrush.rate-limits.login-devices-per-email.capacity=3",
        "couponrush.rate-limits.password-change-per-user.capacity=2",
        "couponrush.rate-limits.refresh-per-ip.capacity=3",
        "couponrush.rate-limits.signup-per-ip.capacity=2",
        "couponrush.rate-limits.signup-per-ip.refill-period=10m",
        "couponrush.rate-limits.issue-per-user.capacity=2",
        "couponrush.rate-limits.issue-per-user.refill-period=10s",
        "couponrush.rate-limits.issue-per-ip.capacity=4",
        "couponrush.rate-limits.issue-per-ip.refill-period=10s",
        // the issue buckets in Redis too (the default keeps them per instance: IssueLimitsPerInstanceIntegrationTest)
        "couponrush.rate-limits.issue-scope=shared",
        // the tests that take every hasher away get their 503 sooner
        "couponrush.passwords.max-wait=200ms"})
class RateLimitIntegrationTest extends IntegrationTest {

    /** The limits above, for the other instances (the same limits share the same buckets). */
    private static final List<String> LIMITS = List.of(
            "couponrush.rate-limits.login-per-ip.capacity=4", "couponrush.rate-limits.login-per-ip.refill-period=1m",
            "couponrush.rate-limits.login-per-email.capacity=2", "couponrush.rate-limits.login-per-email.refill-period=10m",
            "couponrush.rate-limits.login-per-device.capacity=2", "couponrush.rate-limits.login-per-device.refill-period=10m",
            "couponrush.rate-limits.login-devices-per-email.capacity=3", "couponrush.rate-limits.password-change-per-user.capacity=2",
            "couponrush.rate-limits.refresh-per-ip.capacity=3",
            "couponrush.rate-limits.signup-per-ip.capacity=2", "couponrush.rate-limits.signup-per-ip.refill-period=10m",
            "couponrush.rate-limits.issue-per-user.capacity=2", "couponrush.rate-limits.issue-per-user.refill-period=10s",
            "couponrush.rate-limits.issue-per-ip.capacity=4", "couponrush.rate-limits.issue-per-ip.refill-period=10s",
            "couponrush.rate-limits.issue-scope=shared");

    @BeforeEach
    void emptyBuckets() {
        // every test here comes from 127.0.0.1: each starts with full buckets
        var redis = context.getBean(StringRedisTemplate.class);
        var keys = redis.keys("couponrush:rate:*");
        if (!keys.isEmpty()) {
            redis.delete(keys);
        }
        context.getBean(RateLimiter.class).forgetLocalState();
    }

    private static String email() {
        return "rl-" + UUID.randomUUID() + "@test.io";
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** A failing login through the instance on {@code port}, with extra headers (TestApi sends none). */
    private static TestApi.Response login(int port, String email, Map<String, String> headers) {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/auth/login"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        TestApi.JSON.writeValueAsString(Map.of("email", email, "password", "wrong-password"))));
        headers.forEach(request::header);
        try {
            var response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new TestApi.Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.headers(), response.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private int port() {
        return context.getBean(Environment.class).getRequiredProperty("local.server.port", Integer.class);
    }

    private TestApi.Response login(String email) {
        return login(port(), email, Map.of());
    }

    private static void assertRateLimited(TestApi.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(429);
        assertThat(response.isProblem()).isTrue();
        assertThat(response.code()).isEqualTo("RATE_LIMITED");
        var retryAfter = response.headers().firstValue("Retry-After");
        assertThat(retryAfter).isPresent();
        assertThat(Long.parseLong(retryAfter.get())).isPositive();
    }

    @Test
    void limitsLoginAttemptsPerAddress() {
        for (int i = 0; i < 4; i++) {
            assertThat(login(email()).code()).isEqualTo("BAD_CREDENTIALS");
        }
        var limited = login(email());
        assertRateLimited(limited);
        // 4 per minute: the next token comes within 15 s
        assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 15L);
    }

    @Test
    void ignoresXForwardedForSentByAClientThatIsNoProxy() {
        for (int i = 0; i < 4; i++) {
            var spoofed = login(port(), email(), Map.of("X-Forwarded-For", "198.51.100." + i));
            assertThat(spoofed.code()).isEqualTo("BAD_CREDENTIALS");
        }
        assertRateLimited(login(port(), email(), Map.of("X-Forwarded-For", "198.51.100.99")));
    }

    @Test
    void limitsFailedLoginsPerEmailForClientsThatNeverLoggedInToIt() {
        var email = email();
        signUp(email);

        assertThat(login(email).code()).isEqualTo("BAD_CREDENTIALS");
        assertThat(login("  " + email.toUpperCase() + " ").code()).isEqualTo("BAD_CREDENTIALS");
        // OWASP's trade-off: a client without a device token for the account is a stranger to it
        var locked = api.post("/api/v1/auth/login", null, Map.of("email", email, "password", RIGHT));
        assertRateLimited(locked);
        assertThat(locked.body()).doesNotContain("accessToken");
        // another account from the same address is not held up by this one
        assertThat(login(email()).code()).isEqualTo("BAD_CREDENTIALS");
    }

    @Test
    void doesNotCountRightPasswordsAgainstTheAccount() {
        var email = email();
        signUp(email);
        for (int i = 0; i < 3; i++) { // the account's bucket holds 2
            var login = api.post("/api/v1/auth/login", null, Map.of("email", email, "password", RIGHT));
            assertThat(login.status()).as(login.body()).isEqualTo(200);
        }
        // the address's bucket (4 a minute) did count them: a right password still cost a hash
        var failure = login(email);
        assertThat(failure.code()).as(failure.body()).isEqualTo("BAD_CREDENTIALS");
        assertRateLimited(login(email));
        assertThat(login(email).json().get("detail").asString()).contains("from this address");
    }

    @Test
    void strangersGuessingFromManyAddressesDoNotLockOutTheOwnersDevice() {
        var email = email();
        signUp(email);
        try (var behindProxy = new OtherInstance(concat(LIMITS, "server.tomcat.remoteip.internal-proxies=127\\.0\\.0\\.1"))) {
            var proxied = new TestApi(behindProxy.port());
            var owner = Map.of("X-Forwarded-For", "203.0.113.50");
            var first = proxied.post("/api/v1/auth/login", null, Map.of("email", email, "password", RIGHT), owner);
            assertThat(first.status()).as(first.body()).isEqualTo(200);
            var device = first.json().get("deviceToken").asString();

            // the attack: wrong passwords for the owner's email from ten addresses, one each
            var answers = new java.util.ArrayList<String>();
            for (int i = 0; i < 10; i++) {
                answers.add(login(behindProxy.port(), email, Map.of("X-Forwarded-For", "198.51.100." + i)).code());
            }
            assertThat(answers.subList(0, 2)).containsOnly("BAD_CREDENTIALS");
            assertThat(answers.subList(2, 10)).as("strangers stay throttled per email").containsOnly("RATE_LIMITED");

            var withDevice = proxied.post("/api/v1/auth/login", null,
                    Map.of("email", email, "password", RIGHT, "deviceToken", device), owner);
            assertThat(withDevice.status()).as(withDevice.body()).isEqualTo(200);
            assertThat(withDevice.json().get("deviceToken").asString()).as("the device keeps its token").isEqualTo(device);

            var pageCookie = proxied.post("/api/v1/auth/login", null,
                    Map.of("email", email, "password", RIGHT, "tokenDelivery", "cookie"),
                    Map.of("X-Forwarded-For", "203.0.113.51", "Cookie", "couponrush_device=" + device));
            assertThat(pageCookie.status()).as("the device token as the page's cookie").isEqualTo(200);

            var anotherAccountsDevice = proxied.post("/api/v1/auth/login", null,
                    Map.of("email", email, "password", RIGHT, "deviceToken", deviceOfAnotherAccount()), owner);
            assertRateLimited(anotherAccountsDevice);
            var forged = proxied.post("/api/v1/auth/login", null,
                    Map.of("email", email, "password", RIGHT, "deviceToken", device.substring(0, device.length() - 2) + "AA"), owner);
            assertRateLimited(forged);
        }
    }

    @Test
    void aDeviceIsThrottledByItsOwnFailures() {
        var email = email();
        signUp(email);
        var device = api.post("/api/v1/auth/login", null, Map.of("email", email, "password", RIGHT))
                .json().get("deviceToken").asString();
        var wrong = Map.of("email", email, "password", "wrong-passw0rd", "deviceToken", device);

        assertThat(api.post("/api/v1/auth/login", null, wrong).code()).isEqualTo("BAD_CREDENTIALS");
        assertThat(api.post("/api/v1/auth/login", null, wrong).code()).isEqualTo("BAD_CREDENTIALS");
        var limited = api.post("/api/v1/auth/login", null, wrong);
        assertRateLimited(limited);
        assertThat(limited.json().get("detail").asString()).contains("this device");
    }

    @Test
    void aShedSignupOrLoginCostsTheClientNoToken() {
        var permits = io.couponrush.auth.PasswordHashers.permits(context);
        int all = permits.drainPermits();
        try {
            for (int i = 0; i < 5; i++) { // more than either bucket holds (signup 2, login 4)
                var signup = api.post("/api/v1/auth/signup", null, Map.of("email", email(), "password", RIGHT, "nickname", "n"));
                assertThat(signup.code()).as(signup.body()).isEqualTo("OVERLOADED");
                assertThat(signup.headers().firstValue("Retry-After")).isPresent();
                assertThat(login(email()).code()).isEqualTo("OVERLOADED");
            }
        } finally {
            permits.release(all);
        }
        for (int i = 0; i < 2; i++) {
            var signup = api.post("/api/v1/auth/signup", null, Map.of("email", email(), "password", RIGHT, "nickname", "n"));
            assertThat(signup.status()).as(signup.body()).isEqualTo(201);
        }
        for (int i = 0; i < 4; i++) {
            assertThat(login(email()).code()).isEqualTo("BAD_CREDENTIALS");
        }
        assertRateLimited(login(email()));
    }

    @Test
    void anIssueAnsweredOverloadedCostsTheUserNoToken() {
        long coupon = fixtures.coupon("batched", 10, 5);
        var user = fixtures.user();
        assertThat(issue(api, coupon, user.token()).status()).isEqualTo(201); // one of the user's two tokens
        var database = context.getBean(io.couponrush.infra.Dependencies.class).database();
        database.transitionToForcedOpenState();
        try {
            for (int i = 0; i < 3; i++) {
                var shed = issue(api, coupon, user.token());
                assertThat(shed.status()).as("a 503, never a 429: " + shed.body()).isEqualTo(503);
            }
        } finally {
            database.reset();
        }
        assertThat(issue(api, coupon, user.token()).status()).isEqualTo(201);
        assertRateLimited(issue(api, coupon, user.token()));
        assertThat(fixtures.rowsOf(coupon, user.id())).isEqualTo(2);
    }

    @Test
    void countsConcurrentWrongGuessesExactly() throws Exception {
        var email = email();
        signUp(email);
        var answers = new java.util.ArrayList<String>();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = new java.util.ArrayList<java.util.concurrent.Future<String>>();
            for (int i = 0; i < 20; i++) {
                futures.add(pool.submit(() -> login(email).code()));
            }
            for (var future : futures) {
                answers.add(future.get());
            }
        }
        // the account's bucket holds 2: twenty guesses at once are two guesses
        assertThat(answers.stream().filter("BAD_CREDENTIALS"::equals)).hasSize(2);
        assertThat(answers.stream().filter("RATE_LIMITED"::equals)).hasSize(18);
    }

    @Test
    void aLoginBodyTheLimitsCannotReadGoesNoFurther() {
        var email = email();
        signUp(email);
        var latin1 = api.raw("POST", "/api/v1/auth/login", null, "application/json; charset=ISO-8859-1",
                "{\"email\":\"" + email + "\",\"password\":\"" + RIGHT + "\"}");
        assertThat(latin1.status()).as(latin1.body()).isEqualTo(400);
        assertThat(latin1.code()).isEqualTo("MALFORMED_REQUEST");
        var twice = api.raw("POST", "/api/v1/auth/login", null, "application/json",
                "{\"email\":\"someone-else@test.io\",\"email\":\"" + email + "\",\"password\":\"" + RIGHT + "\"}");
        assertThat(twice.status()).as(twice.body()).isEqualTo(400);
        assertThat(twice.code()).isEqualTo("MALFORMED_REQUEST");
    }

    @Test
    void strangersBehindTheSameAddressDoNotHoldUpADeviceThatLoggedInBefore() {
        var email = email();
        signUp(email);
        var device = api.post("/api/v1/auth/login", null, Map.of("email", email, "password", RIGHT))
                .json().get("deviceToken").asString();
        for (int i = 0; i < 3; i++) { // the address's bucket holds 4; the owner's login above took one
            assertThat(login(email()).code()).isEqualTo("BAD_CREDENTIALS");
        }
        assertRateLimited(login(email()));

        var owner = api.post("/api/v1/auth/login", null, Map.of("email", email, "password", RIGHT, "deviceToken", device));
        assertThat(owner.status()).as(owner.body()).isEqualTo(200);
    }

    @Test
    void deviceTokensCollectedForAnAccountShareOneBucketOfFailures() {
        var email = email();
        signUp(email);
        var devices = new java.util.ArrayList<String>();
        for (int i = 0; i < 4; i++) { // someone who knew the password logs in again and again, keeping each token
            devices.add(api.post("/api/v1/auth/login", null, Map.of("email", email, "password", RIGHT, "deviceToken", ""))
                    .json().get("deviceToken").asString());
        }
        assertThat(devices).doesNotHaveDuplicates();
        var answers = new java.util.ArrayList<String>();
        for (var device : devices) { // one wrong password per token: 4, the account's devices together hold 3
            answers.add(api.post("/api/v1/auth/login", null,
                    Map.of("email", email, "password", "wrong-passw0rd", "deviceToken", device)).code());
        }
        assertThat(answers).containsExactly("BAD_CREDENTIALS", "BAD_CREDENTIALS", "BAD_CREDENTIALS", "RATE_LIMITED");
    }

    @Test
    void aStolenSessionIsNoWayToGuessThePassword() {
        var email = email();
        signUp(email);
        var token = api.post("/api/v1/auth/login", null, Map.of("email", email, "password", RIGHT)).json().get("accessToken").asString();
        var guess = Map.of("oldPassword", "guess-passw0rd", "newPassword", "taken-passw0rd1");
        assertThat(api.put("/api/v1/users/me/password", token, guess).code()).isEqualTo("BAD_CREDENTIALS");
        assertThat(api.put("/api/v1/users/me/password", token, guess).code()).isEqualTo("BAD_CREDENTIALS");
        assertRateLimited(api.put("/api/v1/users/me/password", token, guess));
    }

    @Test
    void madeUpRefreshTokensFromOneAddressAreLimited() {
        for (int i = 0; i < 3; i++) {
            assertThat(api.post("/api/v1/auth/refresh", null, Map.of("refreshToken", "made-up-" + i)).code())
                    .isEqualTo("REFRESH_TOKEN_INVALID");
        }
        assertRateLimited(api.post("/api/v1/auth/refresh", null, Map.of("refreshToken", "made-up")));
    }

    private static final String RIGHT = "right-passw0rd";

    private void signUp(String email) {
        var signup = api.post("/api/v1/auth/signup", null, Map.of("email", email, "password", RIGHT, "nickname", "n"));
        assertThat(signup.status()).as(signup.body()).isEqualTo(201);
    }

    private String deviceOfAnotherAccount() {
        var other = email();
        signUp(other);
        return api.post("/api/v1/auth/login", null, Map.of("email", other, "password", RIGHT)).json().get("deviceToken").asString();
    }

    @Test
    void limitsSignupsPerAddressAndWritesNothing() {
        for (int i = 0; i < 2; i++) {
            var created = api.post("/api/v1/auth/signup", null, Map.of("email", email(), "password", "passw0rd-x", "nickname", "n"));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
        }
        var before = fixtures.tableCounts();
        var email = email();
        var limited = api.post("/api/v1/auth/signup", null, Map.of("email", email, "password", "passw0rd-x", "nickname", "n"));
        assertRateLimited(limited);
        assertThat(fixtures.tableCounts()).isEqualTo(before);
    }

    @Test
    void limitsIssuesPerUserAndWritesNothing() {
        long coupon = fixtures.coupon("batched", 10, 5);
        var user = fixtures.user();
        assertThat(issue(api, coupon, user.token()).status()).isEqualTo(201);
        assertThat(issue(api, coupon, user.token()).status()).isEqualTo(201);

        assertRateLimited(issue(api, coupon, user.token()));
        assertThat(fixtures.rowsOf(coupon, user.id())).isEqualTo(2);
        assertThat(fixtures.remaining(coupon)).isEqualTo(8);
        // another user is not held up by this one
        assertThat(issue(api, coupon, fixtures.user().token()).status()).isEqualTo(201);
    }

    @Test
    void limitsIssuesPerAddressAndWritesNothing() {
        long coupon = fixtures.coupon("batched", 10, 1);
        for (var user : fixtures.users(4)) {
            assertThat(issue(api, coupon, user.token()).status()).isEqualTo(201);
        }
        assertRateLimited(issue(api, coupon, fixtures.user().token()));
        assertThat(fixtures.rows(coupon)).isEqualTo(4);
        assertThat(fixtures.remaining(coupon)).isEqualTo(6);
    }

    @Test
    void refillsOverTheRefillPeriod() {
        for (int i = 0; i < 4; i++) {
            login(email());
        }
        assertRateLimited(login(email()));

        clock.advance(Duration.ofSeconds(16)); // 4 per minute: one token back every 15 s
        assertThat(login(email()).code()).isEqualTo("BAD_CREDENTIALS");
        assertRateLimited(login(email()));
    }

    @Test
    void holdsAcrossInstances() {
        long coupon = fixtures.coupon("batched", 10, 5);
        var user = fixtures.user();
        try (var second = new OtherInstance(LIMITS)) {
            var other = new TestApi(second.port());
            assertThat(issue(api, coupon, user.token()).status()).isEqualTo(201);
            assertThat(issue(other, coupon, user.token()).status()).isEqualTo(201);
            assertRateLimited(issue(other, coupon, user.token()));
            assertRateLimited(issue(api, coupon, user.token()));

            for (int i = 0; i < 4; i++) {
                assertThat(login(i % 2 == 0 ? port() : second.port(), email(), Map.of()).code()).isEqualTo("BAD_CREDENTIALS");
            }
            assertRateLimited(login(second.port(), email(), Map.of()));
        }
        assertThat(fixtures.rowsOf(coupon, user.id())).isEqualTo(2);
    }

    @Test
    void believesXForwardedForOnlyFromATrustedProxy() {
        try (var behindProxy = new OtherInstance(concat(LIMITS, "server.tomcat.remoteip.internal-proxies=127\\.0\\.0\\.1"))) {
            int proxied = behindProxy.port();
            var client = Map.of("X-Forwarded-For", "203.0.113.7");
            for (int i = 0; i < 4; i++) {
                assertThat(login(proxied, email(), client).code()).isEqualTo("BAD_CREDENTIALS");
            }
            assertRateLimited(login(proxied, email(), client));
            // another client behind the same proxy has its own bucket
            assertThat(login(proxied, email(), Map.of("X-Forwarded-For", "203.0.113.8")).code()).isEqualTo("BAD_CREDENTIALS");
        }
    }

    @Test
    void whileRedisIsDownIssuingIsNotLimitedAndLoginIsCountedPerInstance() {
        long coupon = fixtures.coupon("batched", 10, 5);
        var user = fixtures.user();
        context.getBean(io.couponrush.infra.Dependencies.class).redis().transitionToForcedOpenState();

        for (int i = 0; i < 3; i++) {
            assertThat(issue(api, coupon, user.token()).status()).isEqualTo(201);
        }
        for (int i = 0; i < 4; i++) {
            assertThat(login(email()).code()).isEqualTo("BAD_CREDENTIALS");
        }
        assertRateLimited(login(email()));
    }

    private static TestApi.Response issue(TestApi via, long coupon, String token) {
        return via.post("/api/v1/coupons/" + coupon + "/issue", token, null);
    }

    private static List<String> concat(List<String> list, String more) {
        var all = new java.util.ArrayList<>(list);
        all.add(more);
        return all;
    }
}
