package io.couponrush.ratelimit;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import io.couponrush.IntegrationTest;
import io.couponrush.support.TestApi;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The storm at the door: a crowd signing up and logging in in the same second, each person from an
 * address of their own (behind a trusted proxy) that may sign up once and log in once (tighter than the
 * default limits), and fewer hashers than people. Clients do what the answers say: on {@code 503} or {@code 429} they come back after
 * {@code Retry-After}. Everyone gets in, and no one is ever told {@code 429}: a shed request cost no
 * token, and a right password is not a failed login.
 *
 * <p>The size is a property so the same storm can be measured at full size (README, Security):
 * {@code -Dstorm.people=300 -Dstorm.hashers= -Dstorm.maxWait=5s} (the service's defaults).
 */
class DoorStormIntegrationTest extends IntegrationTest {

    private static final int PEOPLE = Integer.getInteger("storm.people", 40);
    private static final String HASHERS = System.getProperty("storm.hashers", "1");
    private static final String MAX_WAIT = System.getProperty("storm.maxWait", "500ms");
    private static final Duration GIVE_UP = Duration.ofMinutes(5);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newVirtualThreadPerTaskExecutor()).build();

    private final AtomicInteger overloaded = new AtomicInteger();
    private final AtomicInteger rateLimited = new AtomicInteger();

    @Test
    void aCrowdThatFollowsRetryAfterGetsInWithoutEverBeingRateLimited() throws Exception {
        // one sign-up and one login per address (the defaults allow 5 and 10): a 503 that cost a token
        // would turn the person's retry into a 429
        var settings = new ArrayList<>(List.of("server.tomcat.remoteip.internal-proxies=127\\.0\\.0\\.1",
                "couponrush.passwords.max-wait=" + MAX_WAIT, "couponrush.rate-limits.enabled=true",
                "couponrush.rate-limits.signup-per-ip.capacity=1", "couponrush.rate-limits.login-per-ip.capacity=1",
                "couponrush.rate-limits.login-per-email.capacity=1"));
        if (!HASHERS.isBlank()) {
            settings.add("couponrush.passwords.max-concurrent=" + HASHERS);
        }
        try (var door = new OtherInstance(settings)) {
            var base = "http://127.0.0.1:" + door.port();
            var run = UUID.randomUUID().toString().substring(0, 8);
            var start = new CountDownLatch(1);
            var people = new ArrayList<Future<Long>>();
            try (var crowd = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < PEOPLE; i++) {
                    var email = "storm-" + run + "-" + i + "@test.io";
                    var address = "10.%d.%d.%d".formatted(i / 65_536 % 256, i / 256 % 256, i % 256);
                    people.add(crowd.submit(() -> {
                        start.await();
                        long began = System.nanoTime();
                        var signup = untilServed(base + "/api/v1/auth/signup", address,
                                Map.of("email", email, "password", "storm-passw0rd", "nickname", "storm"));
                        assertThat(signup.status()).as(signup.body()).isEqualTo(201);
                        var login = untilServed(base + "/api/v1/auth/login", address,
                                Map.of("email", email, "password", "storm-passw0rd"));
                        assertThat(login.status()).as(login.body()).isEqualTo(200);
                        return System.nanoTime() - began;
                    }));
                }
                start.countDown();
                long lastIn = 0;
                for (var person : people) {
                    lastIn = Math.max(lastIn, person.get());
                }
                System.out.printf("[storm] %d people signed up and logged in at once (hashers %s, max wait %s): "
                                + "the last was in after %.1f s; %d × 503 (each with its turn), %d × 429%n",
                        PEOPLE, HASHERS.isBlank() ? "default" : HASHERS, MAX_WAIT, lastIn / 1e9, overloaded.get(),
                        rateLimited.get());
            }
            assertThat(rateLimited.get()).as("a client that follows Retry-After is never refused for it").isZero();
            assertThat(overloaded.get()).as("the storm was more than the hashers could take at once").isPositive();
            assertThat(context.getBean(org.springframework.jdbc.core.JdbcTemplate.class)
                    .queryForObject("SELECT COUNT(*) FROM users WHERE email LIKE ?", Integer.class, "storm-" + run + "-%"))
                    .isEqualTo(PEOPLE);
        }
    }

    /** Sends until the answer is neither 503 nor 429, waiting what each one's Retry-After says. */
    private TestApi.Response untilServed(String url, String address, Map<String, String> body) throws Exception {
        long deadline = System.nanoTime() + GIVE_UP.toNanos();
        while (true) {
            var request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").header("X-Forwarded-For", address)
                    .POST(HttpRequest.BodyPublishers.ofString(TestApi.JSON.writeValueAsString(body))).build();
            var response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            var answer = new TestApi.Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.headers(), response.body());
            if (answer.status() != 503 && answer.status() != 429) {
                return answer;
            }
            (answer.status() == 503 ? overloaded : rateLimited).incrementAndGet();
            var retryAfter = answer.headers().firstValue("Retry-After").map(Long::parseLong).orElseThrow(
                    () -> new AssertionError("a " + answer.status() + " without Retry-After: " + answer.body()));
            assertThat(System.nanoTime() + Duration.ofSeconds(retryAfter).toNanos()).as("still not in").isLessThan(deadline);
            // the client's protocol: come back when told (this is the behaviour under test, not a wait for a state)
            Thread.sleep(Duration.ofSeconds(retryAfter));
        }
    }
}
