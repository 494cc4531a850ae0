package io.couponrush.loadtest.room;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.couponrush.loadtest.cluster.ConnectionPool;
import io.couponrush.loadtest.faults.RawConnection;
import io.couponrush.loadtest.simulation.Outcomes;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * One crowd on one coupon: a virtual thread per person, its first request due at its instant, then whatever
 * {@link VisitorPolicy} says. Person <i>i</i> goes through the pool of instance <i>i</i> mod the number of
 * instances (the proxy's connections to it). The whole crowd is bounded in time: a person still waiting then
 * is cut off.
 */
final class Crowd {

    /** One person: its account and bearer token. */
    record Person(long userId, String token) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<ConnectionPool> pools;
    private final long couponId;
    private final boolean room;
    private final List<Person> people;
    private final Duration patience;
    private long originNanos;

    Crowd(List<ConnectionPool> pools, long couponId, boolean room, List<Person> people, Duration patience) {
        this.pools = List.copyOf(pools);
        this.couponId = couponId;
        this.room = room;
        this.people = List.copyOf(people);
        this.patience = patience;
    }

    /**
     * Runs the crowd and returns every person's visit, in the crowd's order.
     *
     * @param origin the opening: every time of the visits is milliseconds since it
     * @param dues   when each person's first request is due, milliseconds since the origin (negative: before)
     */
    List<Visit> run(Instant origin, long[] dues) throws InterruptedException {
        int count = people.size();
        originNanos = System.nanoTime() + Duration.between(Instant.now(), origin).toNanos();
        var exchanges = new ArrayList<List<Exchange>>(count);
        for (int i = 0; i < count; i++) {
            exchanges.add(Collections.synchronizedList(new ArrayList<>()));
        }
        var firstSent = new AtomicLongArray(count);
        long lastDue = 0;
        var executor = Executors.newVirtualThreadPerTaskExecutor();
        try {
            for (int i = 0; i < count; i++) {
                int index = i;
                long due = originNanos + TimeUnit.MILLISECONDS.toNanos(dues[i]);
                lastDue = Math.max(lastDue, dues[i]);
                executor.execute(() -> {
                    // parkNanos, not sleep: an interrupt (the crowd's time bound) ends the wait too
                    while (System.nanoTime() < due && !Thread.currentThread().isInterrupted()) {
                        LockSupport.parkNanos(due - System.nanoTime());
                    }
                    firstSent.set(index, millis());
                    visit(index, exchanges.get(index), dues[index]);
                });
            }
            executor.shutdown();
            long bound = Duration.between(Instant.now(), origin).toMillis() + lastDue + patience.toMillis() + 60_000;
            if (!executor.awaitTermination(Math.max(bound, 1), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow(); // a virtual thread blocked on a socket is released by its interrupt
                executor.awaitTermination(30, TimeUnit.SECONDS);
            }
        } finally {
            executor.shutdownNow();
        }
        var visits = new ArrayList<Visit>(count);
        for (int i = 0; i < count; i++) {
            synchronized (exchanges.get(i)) {
                var list = exchanges.get(i);
                if (list.isEmpty()) {
                    list.add(Exchange.failed(room ? Exchange.Kind.JOIN : Exchange.Kind.PRESS, dues[i], millis(),
                            Exchange.CUT_OFF));
                }
                visits.add(new Visit(i, people.get(i).userId(), dues[i], firstSent.get(i), list));
            }
        }
        return visits;
    }

    private long millis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - originNanos);
    }

    private void visit(int index, List<Exchange> exchanges, long dueMillis) {
        var person = people.get(index);
        var pool = pools.get(index % pools.size());
        var key = UUID.randomUUID().toString(); // one press, however often it is sent
        var auth = "Bearer " + person.token();
        long deadline = Math.max(dueMillis, 0) + patience.toMillis();
        var next = VisitorPolicy.Next.now(VisitorPolicy.first(room));
        while (next.action() != VisitorPolicy.Action.DONE) {
            if (next.waitMillis() > 0) {
                try {
                    Thread.sleep(next.waitMillis()); // the answer's Retry-After: a wait is the point
                } catch (InterruptedException cutOff) {
                    return; // the last answer stays final
                }
            }
            var exchange = switch (next.action()) {
                case JOIN -> send(pool, Exchange.Kind.JOIN, "POST", "/api/v1/coupons/" + couponId + "/queue",
                        Map.of("Authorization", auth));
                case POLL -> send(pool, Exchange.Kind.POLL, "GET", "/api/v1/coupons/" + couponId + "/queue/me",
                        Map.of("Authorization", auth));
                case PRESS -> send(pool, Exchange.Kind.PRESS, "POST", "/api/v1/coupons/" + couponId + "/issue",
                        Map.of("Authorization", auth, "Idempotency-Key", key));
                case DONE -> throw new IllegalStateException();
            };
            exchanges.add(exchange);
            if (Exchange.CUT_OFF.equals(exchange.code())) {
                return;
            }
            next = VisitorPolicy.next(exchanges, millis(), deadline);
        }
    }

    private Exchange send(ConnectionPool pool, Exchange.Kind kind, String method, String path, Map<String, String> headers) {
        long sent = millis();
        RawConnection.Response response;
        try {
            response = pool.exchange(method, path, headers, null);
        } catch (IOException | InterruptedException e) {
            boolean cutOff = e instanceof InterruptedException || Thread.currentThread().isInterrupted();
            return Exchange.failed(kind, sent, millis(), cutOff ? Exchange.CUT_OFF : Exchange.NO_ANSWER);
        }
        return exchange(kind, sent, millis(), response);
    }

    /** The answer as the report counts it: the code, and the place it carried. */
    static Exchange exchange(Exchange.Kind kind, long sent, long answered, RawConnection.Response response) {
        int status = response.status();
        var body = response.body();
        var code = Outcomes.classify(status, body);
        long retryAfter = response.retryAfter() == null ? 0 : seconds(response.retryAfter());
        JsonNode place = null;
        if (body != null && body.startsWith("{") && (kind != Exchange.Kind.PRESS || status == 409)) {
            try {
                place = JSON.readTree(body);
            } catch (IOException notJson) {
                // counted by its code; no place to read
            }
        }
        String state = kind == Exchange.Kind.PRESS && status == 201 ? "ISSUED"
                : place != null && place.path("state").isTextual() ? place.path("state").asText() : null;
        long estimate = place != null && place.path("estimatedWaitSeconds").isNumber()
                ? place.path("estimatedWaitSeconds").asLong() : -1;
        boolean positioned = place != null && place.path("position").isNumber();
        long admittedAt = place == null ? -1 : epochMillis(place.path("admittedAt"));
        return new Exchange(kind, sent, answered, status, code, state, retryAfter, Outcomes.userCouponId(status, body),
                estimate, positioned, admittedAt);
    }

    /** An instant as the service writes it: ISO-8601, or epoch seconds with a fraction; -1 when absent. */
    static long epochMillis(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return -1;
        }
        if (node.isNumber()) {
            return node.decimalValue().movePointRight(3).longValue();
        }
        try {
            return Instant.parse(node.asText()).toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return new BigDecimal(node.asText()).movePointRight(3).longValue();
            } catch (NumberFormatException notANumber) {
                return -1;
            }
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
