package io.couponrush.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * A 3-master Redis Cluster made of the machine's {@code redis-server} processes (no replicas), started
 * once per test JVM and stopped, by the processes it started, when the JVM exits. Where no binary is
 * installed ({@link #available()} false) the tests that need it are skipped with a message saying so.
 */
public final class RedisCluster {

    private static final String SERVER = binary("redis-server");
    private static final String CLI = binary("redis-cli");
    private static RedisCluster shared;

    private final List<Integer> ports;
    private final List<String> options;
    private final java.util.Map<Integer, Process> processes = new java.util.concurrent.ConcurrentHashMap<>();
    private Path dir;

    private RedisCluster(List<Integer> ports, List<String> options) {
        this.ports = ports;
        this.options = options;
    }

    /** Whether the machine has the binaries (Debian: redis-server, redis-tools). */
    public static boolean available() {
        return SERVER != null && CLI != null;
    }

    public static synchronized RedisCluster shared() {
        if (shared == null) {
            shared = started(List.of());
        }
        return shared;
    }

    /**
     * A cluster of its own, for a test that kills a master: the other masters keep serving their slots while
     * one is down ({@code cluster-require-full-coverage no}), and notice it within a second.
     */
    public static RedisCluster ofItsOwn() {
        return started(List.of("--cluster-require-full-coverage", "no", "--cluster-node-timeout", "1000"));
    }

    private static RedisCluster started(List<String> options) {
        var cluster = new RedisCluster(List.of(freePort(), freePort(), freePort()), options);
        cluster.start();
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::stop));
        return cluster;
    }

    /** Kills the master on this port at once (SIGKILL): what it held in memory is gone. */
    public void kill(int port) {
        var process = processes.remove(port);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts the master on this port again, empty (nothing is saved), with its slots; waits until the cluster is whole. */
    public void restart(int port) {
        try {
            launch(port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int each : ports) {
            awaitOutput(List.of(CLI, "-p", Integer.toString(each), "cluster", "info"), "cluster_state:ok");
        }
    }

    /** {@code spring.data.redis.cluster.nodes}. */
    public String nodes() {
        return ports.stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
    }

    private void start() {
        try {
            dir = Files.createTempDirectory("couponrush-redis-cluster");
            for (int port : ports) {
                launch(port);
            }
            for (int port : ports) {
                awaitOutput(List.of(CLI, "-p", Integer.toString(port), "ping"), "PONG");
            }
            var create = new ArrayList<>(List.of(CLI, "--cluster", "create"));
            ports.forEach(port -> create.add("127.0.0.1:" + port));
            create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            run(create);
            for (int port : ports) {
                awaitOutput(List.of(CLI, "-p", Integer.toString(port), "cluster", "info"), "cluster_state:ok");
            }
        } catch (IOException e) {
            stop();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    private void launch(int port) throws IOException {
        var node = Files.createDirectories(dir.resolve(Integer.toString(port)));
        var command = new ArrayList<>(List.of(SERVER, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--dir", node.toString(),
                "--save", "", "--appendonly", "no"));
        command.addAll(options);
        processes.put(port, new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(node.resolve("redis.log").toFile())).start());
    }

    private void stop() {
        for (var process : processes.values()) {
            process.destroy();
        }
        for (var process : processes.values()) {
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void awaitOutput(List<String> command, String expected) {
        try {
            await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50)).atMost(Duration.ofSeconds(15))
                    .until(() -> run(command).contains(expected));
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("Redis Cluster not ready: " + String.join(" ", command) + " never said " + expected, e);
        }
    }

    private static String run(List<String> command) {
        try {
            var process = new ProcessBuilder(command).redirectErrorStream(true).start();
            var output = new String(process.getInputStream().readAllBytes());
            process.waitFor(30, TimeUnit.SECONDS);
            return output;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static int freePort() {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String binary(String name) {
        for (var dir : List.of("/usr/bin", "/usr/local/bin", "/usr/sbin")) {
            var candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
