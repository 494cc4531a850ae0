package io.couponrush.loadtest.cluster;

import io.couponrush.loadtest.faults.RawConnection;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * At most {@code size} keep-alive connections to one instance, shared by a crowd: what a proxy in front of
 * the service holds (a crowd of 10,000 phones ends at the proxy, not at the instance). A request waits for
 * a free connection; a connection the service closed (Tomcat closes after a 503) or one idle longer than
 * {@link #IDLE} is replaced by a new one. Thread-safe; meant for virtual threads, which block in
 * {@link #exchange} cheaply.
 */
public final class ConnectionPool implements AutoCloseable {

    /** Well inside Tomcat's keep-alive: a connection idle longer is not trusted to be open. */
    static final Duration IDLE = Duration.ofSeconds(15);
    private static final String LIVENESS = "/actuator/health/liveness";

    private record Idle(RawConnection connection, long sinceNanos) {
    }

    private final URI base;
    private final int size;
    private final Duration readTimeout;
    private final Semaphore permits;
    private final ConcurrentLinkedQueue<Idle> idle = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    public ConnectionPool(URI base, int size, Duration readTimeout) {
        if (size < 1) {
            throw new IllegalArgumentException("a pool needs at least one connection");
        }
        this.base = base;
        this.size = size;
        this.readTimeout = readTimeout;
        this.permits = new Semaphore(size, true);
    }

    public URI base() {
        return base;
    }

    public int size() {
        return size;
    }

    /**
     * Opens every connection before the crowd arrives and warms it with the public liveness probe (no
     * token: the instance learns nothing of who will use it), so connection set-ups are not what is measured.
     */
    public void warm() throws Exception {
        try (var openers = Executors.newVirtualThreadPerTaskExecutor()) {
            var opened = new ArrayList<Future<RawConnection>>(size);
            for (int i = 0; i < size; i++) {
                opened.add(openers.submit(() -> {
                    var connection = RawConnection.open(base, readTimeout);
                    var alive = connection.exchange(connection.request("GET", LIVENESS, null));
                    if (alive.status() != 200 || !alive.keepAlive()) {
                        connection.close();
                        throw new IOException("warming liveness probe of " + base + " answered " + alive.status());
                    }
                    return connection;
                }));
            }
            for (var future : opened) {
                idle.add(new Idle(future.get(), System.nanoTime()));
            }
        }
    }

    /**
     * One request on a free connection; a connection error, a timeout or an interrupt throws (the
     * connection is dropped, the next request gets a new one).
     */
    public RawConnection.Response exchange(String method, String path, Map<String, String> headers, String json)
            throws IOException, InterruptedException {
        permits.acquire();
        RawConnection connection = null;
        try {
            connection = take();
            var response = connection.exchange(connection.request(method, path, headers, json));
            if (response.keepAlive() && !closed) {
                idle.add(new Idle(connection, System.nanoTime()));
                connection = null;
            }
            return response;
        } finally {
            if (connection != null) {
                connection.close();
            }
            permits.release();
        }
    }

    private RawConnection take() throws IOException {
        for (var next = idle.poll(); next != null; next = idle.poll()) {
            if (System.nanoTime() - next.sinceNanos() < IDLE.toNanos()) {
                return next.connection();
            }
            next.connection().close();
        }
        return RawConnection.open(base, readTimeout);
    }

    @Override
    public void close() {
        closed = true;
        for (var next = idle.poll(); next != null; next = idle.poll()) {
            next.connection().close();
        }
    }
}
