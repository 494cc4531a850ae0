package io.couponrush.loadtest.faults;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The machine's Redis on a free port, loopback only, with no persistence: a restart after
 * {@code kill -9} comes back empty, as a cache that lost its node does, and the service's Redis
 * state (the gate) must be rebuilt from the database.
 */
public final class LocalRedis implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final LocalProcess process;
    private final Path binary;
    private final int port;

    public LocalRedis(FaultSettings settings, Path home, int port, Path log) {
        this(settings, home, port, log, List.of());
    }

    /** @param options more of {@code redis-server}'s options (a cluster node's) */
    LocalRedis(FaultSettings settings, Path home, int port, Path log, List<String> options) {
        this.port = port;
        this.binary = settings.redisServer();
        var command = new java.util.ArrayList<>(List.of(settings.redisServer().toString(),
                "--port", Integer.toString(port),
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", "no",
                "--daemonize", "no",
                "--dir", home.toString()));
        command.addAll(options);
        this.process = new LocalProcess("Redis", command, log);
    }

    /** Starts the server and waits until it answers PING. */
    public void start() throws IOException, InterruptedException {
        process.start();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!ping()) {
            if (!process.alive()) {
                throw new IOException("Redis exited while starting; log " + process.log() + ":\n" + process.tail(20));
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("Redis did not answer PING within " + READY_TIMEOUT.toSeconds() + " s");
            }
            Thread.sleep(50); // another process starting up: time between attempts is the point
        }
    }

    private boolean ping() {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            socket.setSoTimeout(1000);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            var answer = new byte[7];
            int read = socket.getInputStream().read(answer);
            return read > 0 && new String(answer, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException notYet) {
            return false;
        }
    }

    void kill() throws InterruptedException {
        process.kill();
    }

    public boolean alive() {
        return process.alive();
    }

    public long pid() {
        return process.pid();
    }

    public int port() {
        return port;
    }

    public String version() {
        try {
            var output = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
            var text = new String(output.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            // "Redis server v=7.0.15 sha=…"
            var version = Arrays.stream(text.split("\\s+")).filter(word -> word.startsWith("v="))
                    .map(word -> word.substring(2)).findFirst();
            return version.map(value -> "Redis " + value).orElse(text);
        } catch (IOException e) {
            return "Redis (version unknown)";
        }
    }

    @Override
    public void close() {
        process.stop(10);
    }
}
