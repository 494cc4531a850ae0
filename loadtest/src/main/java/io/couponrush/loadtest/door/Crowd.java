package io.couponrush.loadtest.door;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.couponrush.loadtest.faults.RawConnection;
import io.couponrush.loadtest.simulation.Outcomes;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One crowd at one opening: a virtual thread per member, its first press due at the opening plus its
 * share of the launch window, then whatever {@link DoorPolicy} says. Each member has a keep-alive
 * connection of its own, opened and warmed before the opening ({@link #connect()}: at a sale the crowd's
 * connections end at a proxy that already holds connections to the instances), so neither a storm of
 * connection set-ups nor a client's pool is part of what is measured. A member opens a new connection
 * when the service closed its own (Tomcat closes after a 503) or it sat idle for a long wait. The whole
 * crowd is bounded in time: a member still waiting then is cut off.
 */
final class Crowd {

    /** One member: its account's credentials and the (expired) access token it starts with. */
    record Member(String email, String accessToken, String refreshToken) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    /** A connection idle longer is replaced before the next request: well inside Tomcat's keep-alive (60 s). */
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(15);
    private static final String LIVENESS = "/actuator/health/liveness";

    private final List<URI> instances;
    private final long couponId;
    private final DoorCase door;
    private final List<Member> members;
    private final Duration launchWindow;
    private final Duration patience;
    private final RawConnection[] connections;
    private final long[] lastUsed;
    private long originNanos;

    Crowd(List<URI> instances, long couponId, DoorCase door, List<Member> members, Duration launchWindow,
            Duration patience) {
        this.instances = List.copyOf(instances);
        this.couponId = couponId;
        this.door = door;
        this.members = List.copyOf(members);
        this.launchWindow = launchWindow;
        this.patience = patience;
        this.connections = new RawConnection[members.size()];
        this.lastUsed = new long[members.size()];
    }

    /**
     * One connection per member to its instance, warmed by a public request that carries no token (the
     * instance learns nothing of who will use it), and checked to stay open.
     */
    void connect() throws Exception {
        try (var openers = Executors.newVirtualThreadPerTaskExecutor()) {
            var ready = new ArrayList<Future<?>>(members.size());
            for (int i = 0; i < members.size(); i++) {
                int index = i;
                ready.add(openers.submit(() -> {
                    var connection = RawConnection.open(target(index), READ_TIMEOUT);
                    connections[index] = connection;
                    var alive = connection.exchange(connection.request("GET", LIVENESS, null));
                    if (alive.status() != 200 || !alive.keepAlive()) {
                        throw new IOException("warming liveness probe answered %d%s".formatted(alive.status(),
                                alive.keepAlive() ? "" : " and closes the connection"));
                    }
                    lastUsed[index] = System.nanoTime();
                    return null;
                }));
            }
            for (var future : ready) {
                future.get();
            }
        }
    }

    /** Runs the crowd, the first press at {@code opening}, and returns every member's journey in launch order. */
    List<Journey> run(Instant opening) throws InterruptedException {
        int count = members.size();
        originNanos = System.nanoTime() + Duration.between(Instant.now(), opening).toNanos();
        var journeys = new ArrayList<List<Step>>(count);
        for (int i = 0; i < count; i++) {
            journeys.add(Collections.synchronizedList(new ArrayList<>()));
        }
        var launches = new long[count];
        long windowNanos = launchWindow.toNanos();
        var executor = Executors.newVirtualThreadPerTaskExecutor();
        try {
            for (int i = 0; i < count; i++) {
                int index = i;
                long due = originNanos + windowNanos * index / count;
                launches[index] = TimeUnit.NANOSECONDS.toMillis(due - originNanos);
                executor.execute(() -> {
                    // parkNanos, not sleep: an interrupt (the crowd's time bound) ends the wait too
                    while (System.nanoTime() < due && !Thread.currentThread().isInterrupted()) {
                        LockSupport.parkNanos(due - System.nanoTime());
                    }
                    walk(index, journeys.get(index), launches[index]);
                });
            }
            executor.shutdown();
            long bound = Duration.between(Instant.now(), opening).plus(launchWindow).plus(patience)
                    .plus(READ_TIMEOUT.multipliedBy(2)).plusSeconds(10).toMillis();
            if (!executor.awaitTermination(Math.max(bound, 1), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow(); // a virtual thread blocked on a socket is released by its interrupt
                executor.awaitTermination(30, TimeUnit.SECONDS);
            }
        } finally {
            executor.shutdownNow();
            for (var connection : connections) {
                if (connection != null) {
                    connection.close();
                }
            }
        }
        var result = new ArrayList<Journey>(count);
        for (int i = 0; i < count; i++) {
            synchronized (journeys.get(i)) {
                var steps = journeys.get(i);
                if (steps.isEmpty()) {
                    steps.add(Step.failed(Step.Kind.PRESS, launches[i], millis(), Step.CUT_OFF));
                }
                result.add(new Journey(i, launches[i], steps));
            }
        }
        return result;
    }

    private URI target(int member) {
        return instances.get(member % instances.size());
    }

    private long millis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - originNanos);
    }

    private void walk(int index, List<Step> steps, long launchMillis) {
        var member = members.get(index);
        var key = UUID.randomUUID().toString(); // one press, however often it is sent
        var token = member.accessToken();
        var refreshToken = member.refreshToken();
        long deadline = launchMillis + patience.toMillis();
        var next = DoorPolicy.Next.now(DoorPolicy.Action.PRESS);
        while (next.action() != DoorPolicy.Action.DONE) {
            if (next.waitMillis() > 0) {
                try {
                    Thread.sleep(next.waitMillis()); // the answer's Retry-After: a wait is the point
                } catch (InterruptedException cutOff) {
                    return; // the last answer stays final
                }
            }
            var answer = switch (next.action()) {
                case PRESS -> send(index, Step.Kind.PRESS, "/api/v1/coupons/" + couponId + "/issue",
                        Map.of("Authorization", "Bearer " + token, "Idempotency-Key", key), null);
                case REFRESH -> send(index, Step.Kind.REFRESH, "/api/v1/auth/refresh", Map.of(),
                        json(Map.of("refreshToken", refreshToken == null ? "" : refreshToken)));
                case LOGIN -> send(index, Step.Kind.LOGIN, "/api/v1/auth/login", Map.of(),
                        json(Map.of("email", member.email(), "password", OpeningDoorSettings.PASSWORD)));
                case DONE -> throw new IllegalStateException();
            };
            steps.add(answer.step());
            if (answer.step().kind() != Step.Kind.PRESS && answer.step().ok() && answer.body() != null) {
                token = answer.body().path("accessToken").asText(token);
                // rotated: the one just shown never works again
                refreshToken = answer.body().path("refreshToken").asText(refreshToken);
            }
            if (answer.step().code().equals(Step.CUT_OFF)) {
                return;
            }
            next = DoorPolicy.next(door, steps, millis(), deadline);
        }
    }

    private record Answer(Step step, JsonNode body) {
    }

    /** One POST on the member's connection (a new one if it has none or it sat idle too long). */
    private Answer send(int index, Step.Kind kind, String path, Map<String, String> headers, String body) {
        long sent = millis();
        RawConnection.Response response;
        try {
            var connection = connections[index];
            if (connection == null || System.nanoTime() - lastUsed[index] > IDLE_NANOS) {
                if (connection != null) {
                    connection.close();
                }
                connection = RawConnection.open(target(index), READ_TIMEOUT);
                connections[index] = connection;
            }
            response = connection.exchange(connection.request("POST", path, headers, body));
            lastUsed[index] = System.nanoTime();
            if (!response.keepAlive()) {
                connection.close();
                connections[index] = null;
            }
        } catch (IOException e) { // connection errors, timeouts, and the crowd's cut-off alike
            if (connections[index] != null) {
                connections[index].close();
                connections[index] = null;
            }
            return new Answer(Step.failed(kind, sent, millis(),
                    Thread.currentThread().isInterrupted() ? Step.CUT_OFF : Step.NO_ANSWER), null);
        }
        long answered = millis();
        int status = response.status();
        long retryAfter = response.retryAfter() == null ? 0 : seconds(response.retryAfter());
        JsonNode json = null;
        if (status == 200) {
            try {
                json = JSON.readTree(response.body());
            } catch (IOException notJson) {
                // a 200 without a readable session: no new token, the next press will show it
            }
        }
        return new Answer(Step.answered(kind, sent, answered, status, Outcomes.classify(status, response.body()),
                retryAfter, Outcomes.userCouponId(status, response.body())), json);
    }

    private static String json(Map<String, String> body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code Retry-After} in delta-seconds; an HTTP date or garbage counts as one second. */
    static long seconds(String header) {
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
