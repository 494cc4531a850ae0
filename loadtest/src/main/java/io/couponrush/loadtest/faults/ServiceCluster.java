package io.couponrush.loadtest.faults;

import io.couponrush.loadtest.ServiceClient;
import io.couponrush.loadtest.ServiceProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Several service instances as separate processes on one database and one Redis, each on its own
 * port and with its own node id. An instance the harness killed is replaced by a new process (new
 * port, new node id: ids it makes can never meet those of the dead one).
 */
public final class ServiceCluster implements AutoCloseable {

    /**
     * What every service the harness starts gets: the issue limits out of reach, not off. Every simulated
     * user comes from 127.0.0.1 and the seed mode uses one account, so the default limits would measure
     * themselves; with a capacity no run can spend, each issue request still pays for its checks (in
     * the configured scope) as a deployment does.
     */
    public static final List<String> UNLIMITED_ISSUES = List.of(
            "--couponrush.rate-limits.issue-per-ip.capacity=2000000000",
            "--couponrush.rate-limits.issue-per-user.capacity=2000000000");

    private final Path jar;
    private final List<String> jvmArgs;
    private final List<String> extraArgs;
    private final Map<String, String> environment;
    private final Path logs;
    private final Duration startTimeout;
    private final List<ServiceProcess> instances = new ArrayList<>();
    private final Set<Integer> frozen = new HashSet<>();
    private int nextNodeId = 1;

    /**
     * @param environment what every instance shares: the datasource, Redis, one JWT secret (a token
     *                    minted by one instance is valid on all of them)
     */
    public ServiceCluster(Path jar, List<String> jvmArgs, List<String> extraArgs, Map<String, String> environment,
                          Path logs, Duration startTimeout) {
        this.jar = jar;
        this.jvmArgs = List.copyOf(jvmArgs);
        this.extraArgs = List.copyOf(extraArgs);
        this.environment = Map.copyOf(environment);
        this.logs = logs;
        this.startTimeout = startTimeout;
    }

    /**
     * The first instance alone (it runs the Flyway migrations on the empty database), then the
     * others together.
     */
    public synchronized void start(int count) throws IOException, InterruptedException {
        instances.add(launch(0));
        instances.getFirst().awaitHealthy(startTimeout);
        for (int i = 1; i < count; i++) {
            instances.add(launch(i));
        }
        awaitHealthy();
    }

    private ServiceProcess launch(int index) throws IOException {
        int port = ServiceProcess.freePort();
        int nodeId = nextNodeId++;
        var env = new HashMap<>(environment);
        env.put("COUPONRUSH_NODE_ID", Integer.toString(nodeId));
        env.put(ServiceClient.FIXTURE_SECRET_ENV, ServiceClient.FIXTURE_SECRET);
        var args = new ArrayList<>(List.of("--server.port=" + port, "--spring.profiles.active=loadtest"));
        args.addAll(UNLIMITED_ISSUES);
        args.addAll(extraArgs);
        return ServiceProcess.start(jar, jvmArgs, args, env, port,
                logs.resolve("service-%d-node%d.log".formatted(index, nodeId)));
    }

    synchronized void awaitHealthy() throws IOException, InterruptedException {
        for (var instance : List.copyOf(instances)) {
            instance.awaitHealthy(startTimeout);
        }
    }

    public synchronized List<URI> uris() {
        return instances.stream().map(ServiceProcess::baseUri).toList();
    }

    public synchronized int size() {
        return instances.size();
    }

    public synchronized ServiceProcess instance(int index) {
        return instances.get(index);
    }

    /** {@code kill -9} of one instance, by the pid the harness started. */
    void kill(int index) throws InterruptedException {
        instance(index).kill();
    }

    /** A new process in place of a dead one; it is healthy once {@link #awaitHealthy()} returns. */
    synchronized void replace(int index) throws IOException {
        if (instances.get(index).alive()) {
            throw new IllegalStateException("instance " + index + " is still running");
        }
        instances.set(index, launch(index));
    }

    /** SIGSTOP: the process stays, its sockets stay open, nothing in it runs. */
    void freeze(int index) throws IOException, InterruptedException {
        var pid = instance(index).pid();
        synchronized (this) {
            frozen.add(index);
        }
        signal("-STOP", pid);
    }

    void thaw(int index) throws IOException, InterruptedException {
        var pid = instance(index).pid();
        signal("-CONT", pid);
        synchronized (this) {
            frozen.remove(index);
        }
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        var kill = new ProcessBuilder("kill", signal, Long.toString(pid)).redirectErrorStream(true).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill " + signal + " " + pid + " failed: "
                    + new String(kill.getInputStream().readAllBytes()).trim());
        }
    }

    /** Thaws whatever is frozen first: a stopped process would ignore the SIGTERM until its deadline. */
    @Override
    public void close() {
        List<Integer> stillFrozen;
        List<ServiceProcess> all;
        synchronized (this) {
            stillFrozen = List.copyOf(frozen);
            all = List.copyOf(instances);
        }
        for (int index : stillFrozen) {
            try {
                thaw(index);
            } catch (IOException | InterruptedException | RuntimeException e) {
                System.err.println("[faults] could not thaw instance " + index + ": " + e.getMessage());
            }
        }
        // In parallel: each waits for its own graceful shutdown.
        var stoppers = all.stream().map(instance -> Thread.ofPlatform().start(instance::close)).toList();
        for (var stopper : stoppers) {
            try {
                stopper.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
