package io.couponrush.loadtest.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConnectionPoolTest {

    private HttpServer server;
    private final Set<InetSocketAddress> clients = ConcurrentHashMap.newKeySet();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    private final CyclicBarrier allBusy = new CyclicBarrier(3);

    @BeforeEach
    void serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            clients.add(exchange.getRemoteAddress());
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                // every request waits until the pool has all its connections busy at once (the 3 warming probes
                // too): a pool that used fewer would stall here, and one that used more would be counted above
                allBusy.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (BrokenBarrierException | TimeoutException e) {
                inFlight.decrementAndGet();
                exchange.sendResponseHeaders(500, -1);
                exchange.close();
                return;
            }
            inFlight.decrementAndGet();
            var body = "{\"path\":\"%s\"}".formatted(exchange.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Test
    void aCrowdSharesAtMostSizeConnectionsAndReusesThem() throws Exception {
        try (var pool = new ConnectionPool(base(), 3, Duration.ofSeconds(5));
             var crowd = Executors.newVirtualThreadPerTaskExecutor()) {
            pool.warm();
            var answered = new AtomicInteger();
            for (int i = 0; i < 60; i++) {
                crowd.submit(() -> {
                    var response = pool.exchange("GET", "/queue/me", Map.of("Authorization", "Bearer x"), null);
                    if (response.status() == 200 && response.body().contains("/queue/me")) {
                        answered.incrementAndGet();
                    }
                    return null;
                });
            }
            crowd.shutdown();
            assertThat(crowd.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

            assertThat(answered).hasValue(60);
            assertThat(mostInFlight.get()).as("all three busy at once, never a fourth").isEqualTo(3);
            assertThat(clients).as("the warmed connections, reused").hasSize(3);
        }
    }
}
