package io.couponrush.loadtest.cluster;

import io.couponrush.loadtest.ServiceProcess;
import io.couponrush.loadtest.faults.FaultRunner;
import io.couponrush.loadtest.faults.FaultSettings;
import io.couponrush.loadtest.faults.LocalMariaDb;
import io.couponrush.loadtest.faults.LocalRedis;
import io.couponrush.loadtest.faults.ServiceCluster;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The machine's MariaDB and Redis on a fresh datadir and free ports, and service instances on them, all
 * processes of the harness's own (as the fault harness starts them): one random JWT secret shared by every
 * instance, distinct node ids, the issue limits out of reach. {@link #close()} stops everything it started,
 * by pid, newest first (also from a shutdown hook), and deletes the temporary datadir.
 */
public final class LocalStack implements AutoCloseable {

    /** How to start it. {@code serviceArgs} come after the ones {@link ServiceCluster} gives every instance. */
    public record Spec(FaultSettings servers, Path jar, List<String> jvmArgs, List<String> serviceArgs, int instances,
            Duration startTimeout, Path logs) {

        public Spec {
            jvmArgs = List.copyOf(jvmArgs);
            serviceArgs = List.copyOf(serviceArgs);
            if (instances < 1) {
                throw new IllegalArgumentException("at least one instance");
            }
        }
    }

    private final ConcurrentLinkedDeque<AutoCloseable> started = new ConcurrentLinkedDeque<>();
    private volatile Path home;
    private volatile LocalMariaDb mariadb;
    private volatile LocalRedis redis;
    private volatile ServiceCluster cluster;

    /** Starts MariaDB, Redis, then the instances (the first alone: it migrates the schema). */
    public void start(Spec spec) throws Exception {
        if (!Files.isRegularFile(spec.jar())) {
            throw new IOException(spec.jar() + " does not exist: build it with ./mvnw -pl service -am package -DskipTests");
        }
        home = Files.createTempDirectory("couponrush-stack");
        var servers = spec.servers();
        mariadb = new LocalMariaDb(servers, home.resolve("mariadb"), ServiceProcess.freePort(),
                spec.logs().resolve("mariadb.log"));
        started.push(mariadb);
        mariadb.install();
        mariadb.start();
        mariadb.createDatabase();
        Files.createDirectories(home.resolve("redis"));
        redis = new LocalRedis(servers, home.resolve("redis"), ServiceProcess.freePort(), spec.logs().resolve("redis.log"));
        started.push(redis);
        redis.start();
        var secret = new byte[48];
        new SecureRandom().nextBytes(secret);
        var environment = Map.of(
                "SPRING_DATASOURCE_URL", mariadb.jdbcUrl(), "SPRING_DATASOURCE_USERNAME", "root",
                "SPRING_DATASOURCE_PASSWORD", "", "SPRING_DATA_REDIS_HOST", "127.0.0.1",
                "SPRING_DATA_REDIS_PORT", Integer.toString(redis.port()),
                "COUPONRUSH_JWT_SECRET", Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
        cluster = new ServiceCluster(spec.jar(), spec.jvmArgs(), spec.serviceArgs(), environment, spec.logs(),
                spec.startTimeout());
        started.push(cluster);
        cluster.start(spec.instances());
    }

    public String jdbcUrl() {
        return mariadb.jdbcUrl();
    }

    public List<URI> uris() {
        return cluster.uris();
    }

    public ServiceCluster cluster() {
        return cluster;
    }

    /** One line: the servers' versions and the instances. */
    public String describe() {
        var parts = new ArrayList<String>();
        if (cluster != null) {
            parts.add("%d service instance%s".formatted(cluster.size(), cluster.size() == 1 ? "" : "s"));
        }
        if (mariadb != null) {
            parts.add(mariadb.version());
        }
        if (redis != null) {
            parts.add(redis.version());
        }
        return String.join(", ", parts) + ", all on this machine";
    }

    @Override
    public void close() {
        AutoCloseable next;
        while ((next = started.poll()) != null) {
            try {
                next.close();
            } catch (Exception e) {
                System.err.println("[bench] could not stop " + next + ": " + e.getMessage());
            }
        }
        var folder = home;
        home = null;
        FaultRunner.delete(folder);
    }
}
