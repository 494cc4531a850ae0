package io.couponrush.loadtest.faults;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.couponrush.loadtest.JsonIds;
import io.couponrush.loadtest.ServiceClient.Account;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One rush: every user sends one issue request with an {@code Idempotency-Key} chosen once, to the
 * instances in turn, and retries on another instance after a connection error, a client timeout or
 * a 503, the way a client behind a load balancer would. Virtual threads, one per user, all started
 * within the launch window; the whole rush is bounded in time.
 */
final class Rush {

    /**
     * @param launchWindow  the users' first requests are spread evenly over it
     * @param timeout       per request, connecting included
     * @param retries       further requests after the first
     * @param retryAfterCap the longest {@code Retry-After} honoured before a retry
     */
    record Shape(Duration launchWindow, Duration timeout, int retries, Duration retryAfterCap) {

        /** Every user's requests, waits included, fit in this; beyond it the rush is cut off. */
        Duration bound() {
            return launchWindow.plus(timeout.plus(retryAfterCap).multipliedBy(retries + 1L)).plusSeconds(15);
        }
    }

    /**
     * @param runs             one per user, in the order they were launched
     * @param endMillis        when the last user had its final answer (or was cut off)
     * @param triggeredAtMillis when the share of answered users that triggers the fault was reached, -1 if never
     */
    record Result(List<UserRun> runs, long endMillis, long triggeredAtMillis) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<URI> instances;
    private final long couponId;
    private final List<Account> users;
    private final Shape shape;
    private final long origin = System.nanoTime();

    Rush(List<URI> instances, long couponId, List<Account> users, Shape shape) {
        this.instances = List.copyOf(instances);
        this.couponId = couponId;
        this.users = List.copyOf(users);
        this.shape = shape;
    }

    /** Milliseconds since this rush was created: the one clock of its attempts and of the fault window. */
    long millis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - origin);
    }

    /**
     * @param triggerAfter once this many users have their final answer, {@code trigger} runs (once, on
     *                     a client's thread: it must hand the fault over to a thread of its own)
     */
    Result run(int triggerAfter, Runnable trigger) throws InterruptedException {
        int count = users.size();
        var attempts = new ArrayList<List<Attempt>>(count);
        for (int i = 0; i < count; i++) {
            attempts.add(Collections.synchronizedList(new ArrayList<>()));
        }
        var answered = new AtomicInteger();
        var triggered = new AtomicBoolean();
        var triggeredAt = new AtomicLong(-1);
        long windowNanos = shape.launchWindow().toNanos();
        var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(shape.timeout()).build();
        var executor = Executors.newVirtualThreadPerTaskExecutor();
        try {
            for (int i = 0; i < count; i++) {
                int index = i;
                long due = origin + windowNanos * index / count;
                executor.execute(() -> {
                    // parkNanos, not sleep: an interrupt (the rush's time bound) ends the wait too
                    while (System.nanoTime() < due && !Thread.currentThread().isInterrupted()) {
                        LockSupport.parkNanos(due - System.nanoTime());
                    }
                    issue(http, index, attempts.get(index));
                    if (answered.incrementAndGet() >= triggerAfter && triggered.compareAndSet(false, true)) {
                        triggeredAt.set(millis());
                        trigger.run();
                    }
                });
            }
            executor.shutdown();
            if (!executor.awaitTermination(shape.bound().toMillis(), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
                executor.awaitTermination(30, TimeUnit.SECONDS);
            }
        } finally {
            executor.shutdownNow();
            http.shutdownNow();
        }
        long end = millis();
        var runs = new ArrayList<UserRun>(count);
        for (int i = 0; i < count; i++) {
            synchronized (attempts.get(i)) {
                runs.add(new UserRun(users.get(i).id(), attempts.get(i)));
            }
        }
        return new Result(runs, end, triggeredAt.get());
    }

    private void issue(HttpClient http, int index, List<Attempt> attempts) {
        var user = users.get(index);
        var key = UUID.randomUUID().toString();
        var unreachable = new HashSet<Integer>();
        int instance = index % instances.size();
        for (int attempt = 0; attempt <= shape.retries(); attempt++) {
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            long sent = millis();
            Attempt result;
            try {
                result = send(http, instance, user.token(), key, sent);
            } catch (InterruptedException cutOff) {
                attempts.add(Attempt.failed(instance, sent, millis(), Attempt.Kind.CUT_OFF));
                return;
            }
            attempts.add(result);
            if (!result.retryable() || attempt == shape.retries()) {
                return;
            }
            if (result.unreachable()) {
                unreachable.add(instance);
            }
            if (result.status() == 503) {
                long wait = Math.min(Math.max(result.retryAfterSeconds(), 0) * 1000, shape.retryAfterCap().toMillis());
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException cutOff) {
                    return; // the 503 stays its final answer
                }
            }
            instance = next(instance, unreachable, instances.size());
        }
    }

    private Attempt send(HttpClient http, int instance, String token, String key, long sent)
            throws InterruptedException {
        var request = HttpRequest.newBuilder(instances.get(instance).resolve("/api/v1/coupons/" + couponId + "/issue"))
                .timeout(shape.timeout())
                .header("Authorization", "Bearer " + token)
                .header("Idempotency-Key", key)
                .header("Accept", "application/json, application/problem+json")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) { // connect timeouts included
            return Attempt.failed(instance, sent, millis(), Attempt.Kind.TIMEOUT);
        } catch (IOException e) {
            return Attempt.failed(instance, sent, millis(), Attempt.Kind.CONNECTION_ERROR);
        }
        long answered = millis();
        int status = response.statusCode();
        String code = status == 201 ? "201" : "HTTP_" + status;
        long userCouponId = Attempt.NONE;
        try {
            var body = JSON.readTree(response.body());
            if (status == 201) {
                userCouponId = JsonIds.of(body.path("userCouponId"), Attempt.NONE);
            } else if (body.path("code").isTextual()) {
                code = body.path("code").asText();
            }
        } catch (IOException notJson) {
            // the code stays HTTP_<status>: an answer without a defined outcome
        }
        long retryAfter = response.headers().firstValue("Retry-After").map(Rush::seconds).orElse(0L);
        return Attempt.answered(instance, sent, answered, status, code, userCouponId, retryAfter);
    }

    /**
     * The instance a retry goes to: the next one in turn that is not the one just tried and did not
     * leave this client unanswered before; failing that, any that answered it before (a 503 from the
     * only reachable instance beats certain silence from a dead one); failing that, simply the next.
     */
    static int next(int current, Set<Integer> unreachable, int instances) {
        for (int step = 1; step < instances; step++) {
            int candidate = (current + step) % instances;
            if (!unreachable.contains(candidate)) {
                return candidate;
            }
        }
        if (!unreachable.contains(current)) {
            return current;
        }
        return (current + 1) % instances;
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
