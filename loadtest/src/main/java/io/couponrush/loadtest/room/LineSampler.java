package io.couponrush.loadtest.room;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.couponrush.loadtest.faults.RawConnection;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Looks at the line's public numbers ({@code GET /api/v1/coupons/{id}/queue}) every {@link #EVERY}, on a
 * connection of its own to each instance in turn (the numbers are Redis's, the same on every instance), from
 * {@link #start} until {@link #stop}. A look that fails is skipped.
 */
final class LineSampler {

    static final Duration EVERY = Duration.ofMillis(200);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<URI> instances;
    private final long couponId;
    private final Instant opening;
    private final List<LineSample> samples = Collections.synchronizedList(new ArrayList<>());
    private final List<RawConnection> connections = new ArrayList<>();
    private volatile boolean running = true;
    private Thread thread;

    LineSampler(List<URI> instances, long couponId, Instant opening) {
        this.instances = List.copyOf(instances);
        this.couponId = couponId;
        this.opening = opening;
    }

    void start() {
        thread = Thread.ofPlatform().name("line-sampler-" + couponId).daemon().start(this::loop);
    }

    List<LineSample> stop() throws InterruptedException {
        running = false;
        thread.join(5_000);
        connections.forEach(RawConnection::close);
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    private void loop() {
        connections.addAll(Collections.nCopies(instances.size(), null));
        long next = System.nanoTime();
        for (int turn = 0; running; turn++) {
            int index = turn % instances.size();
            try {
                var connection = connections.get(index);
                if (connection == null) {
                    connection = RawConnection.open(instances.get(index), Duration.ofSeconds(10));
                    connections.set(index, connection);
                }
                var answer = connection.exchange(connection.request("GET", "/api/v1/coupons/" + couponId + "/queue", null));
                long at = Duration.between(opening, Instant.now()).toMillis();
                if (!answer.keepAlive()) {
                    connection.close();
                    connections.set(index, null);
                }
                if (answer.status() == 200) {
                    var line = JSON.readTree(answer.body());
                    samples.add(new LineSample(at, line.path("waiting").asLong(), line.path("admitted").asLong(),
                            line.path("inTurn").asLong(), line.path("issued").asLong(), line.path("copiesLeft").asLong()));
                }
            } catch (IOException | RuntimeException e) {
                var broken = connections.get(index);
                if (broken != null) {
                    broken.close();
                }
                connections.set(index, null);
            }
            next += EVERY.toNanos();
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(Duration.ofNanos(wait)); // a look every 200 ms: the period is the point
                } catch (InterruptedException e) {
                    return;
                }
            } else {
                next = System.nanoTime();
            }
        }
    }
}
