package io.couponrush.loadtest;

import io.couponrush.loadtest.costs.Tier;
import io.couponrush.loadtest.costs.Tiers;
import io.couponrush.loadtest.faults.LocalMariaDb;
import io.couponrush.loadtest.faults.LocalRedis;
import io.couponrush.loadtest.faults.ServiceCluster;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code -Dbench.instances=N}: what a scaled-out deployment is, on one machine. The machine's
 * MariaDB and Redis (as the fault harness runs them: own datadir, free ports, loopback), N service
 * jars on them (the fault harness's {@link ServiceCluster}: own processes, distinct node ids, one
 * JWT secret), and HAProxy in front with the checked-in configuration. With one instance (the default,
 * {@code bench.instances=1}) there is no balancer: the load goes to the instance itself, so the
 * single-instance numbers stay what they were. Every process is the
 * harness's child and is stopped by its pid on {@link #close()}, which is safe to call twice (the
 * shutdown hook and the normal end).
 */
final class LoadBalancedCluster implements ServiceUnderTest, AutoCloseable {

    private final BenchSettings settings;
    private final Path directory;
    private final List<String> serviceArgs;
    private final Map<String, String> serviceEnvironment;
    private final List<AutoCloseable> started = new ArrayList<>();
    private Path home;
    private LocalMariaDb mariadb;
    private LocalRedis redis;
    private ServiceCluster cluster;
    private LoadBalancer haproxy;
    private String description = "not started";
    private boolean closed;

    /**
     * @param serviceArgs        what every instance gets beyond its port and the loadtest profile: the
     *                           same options the single instance is started with
     * @param serviceEnvironment likewise, beyond the servers, the secret and the node id set here
     */
    LoadBalancedCluster(BenchSettings settings, Path directory, List<String> serviceArgs,
                        Map<String, String> serviceEnvironment) {
        this.settings = settings;
        this.directory = directory;
        this.serviceArgs = List.copyOf(serviceArgs);
        this.serviceEnvironment = Map.copyOf(serviceEnvironment);
    }

    /** Starts everything in order; whatever started before a failure is stopped by {@link #close()}. */
    synchronized void start() throws IOException, InterruptedException, SQLException {
        var servers = settings.localServers();
        home = Files.createTempDirectory("couponrush-bench");
        int mariadbPort = ServiceProcess.freePort();
        mariadb = new LocalMariaDb(servers, home.resolve("mariadb"), mariadbPort, directory.resolve("mariadb.log"));
        started.add(mariadb);
        mariadb.install();
        mariadb.start();
        mariadb.createDatabase();
        int redisPort = ServiceProcess.freePort();
        Files.createDirectories(home.resolve("redis"));
        redis = new LocalRedis(servers, home.resolve("redis"), redisPort, directory.resolve("redis.log"));
        started.add(redis);
        redis.start();
        say("%s (pid %d) on port %d, %s (pid %d) on port %d".formatted(mariadb.version(), mariadb.pid(), mariadbPort,
                redis.version(), redis.pid(), redisPort));

        var secret = new byte[48];
        new SecureRandom().nextBytes(secret);
        var environment = new HashMap<>(serviceEnvironment);
        environment.putAll(Map.of(
                "SPRING_DATASOURCE_URL", mariadb.jdbcUrl(),
                "SPRING_DATASOURCE_USERNAME", "root",
                "SPRING_DATASOURCE_PASSWORD", "",
                "SPRING_DATA_REDIS_HOST", "127.0.0.1",
                "SPRING_DATA_REDIS_PORT", Integer.toString(redisPort),
                // one secret for all: a token minted by one instance is accepted by every other
                "COUPONRUSH_JWT_SECRET", Base64.getUrlEncoder().withoutPadding().encodeToString(secret)));
        cluster = new ServiceCluster(settings.serviceJar(), settings.serviceJvmArgs(), serviceArgs, environment,
                directory, settings.startTimeout());
        started.add(cluster);
        long starting = System.nanoTime();
        say("starting %d service instances (the first alone: it migrates the schema)".formatted(settings.instances()));
        cluster.start(settings.instances());
        say("instances healthy after %d s: %s".formatted(Duration.ofNanos(System.nanoTime() - starting).toSeconds(),
                cluster.uris()));

        if (settings.instances() == 1) {
            description = ("one instance of `%s` (no load balancer); %s (`%s`, own datadir) at %s; %s on port %d (no persistence)")
                    .formatted(relative(settings.serviceJar()), mariadb.version(), settings.localServers().mariadbd(),
                            mariadb.jdbcUrl(), redis.version(), redisPort);
            return;
        }
        int port = ServiceProcess.freePort();
        var template = settings.root().resolve(LoadBalancer.TEMPLATE);
        haproxy = LoadBalancer.start(settings.haproxy(), template, directory.resolve("haproxy.cfg"),
                home.resolve("haproxy.sock"), port, cluster.uris(), directory.resolve("haproxy.log"));
        started.add(haproxy);
        haproxy.awaitAllUp(settings.instances(), Duration.ofSeconds(30));
        var version = LoadBalancer.version(settings.haproxy());
        say("%s (pid %d) on %s: all %d instances passed its health check".formatted(version, haproxy.pid(),
                haproxy.baseUri(), settings.instances()));
        description = ("**%d instances** of `%s` (own processes, distinct node ids, one JWT secret) **behind %s** on port"
                + " %d (`haproxy.cfg`, rendered from `%s`: leastconn, readiness checks, keep-alive to the instances);"
                + " %s (`%s`, own datadir) at %s; %s on port %d (no persistence)").formatted(settings.instances(),
                relative(settings.serviceJar()), version, port, LoadBalancer.TEMPLATE, mariadb.version(),
                settings.localServers().mariadbd(), mariadb.jdbcUrl(), redis.version(), redisPort);
    }

    /** The harness reads the rows itself, from the database every instance writes. */
    String jdbcUrl() {
        return mariadb.jdbcUrl();
    }

    /** Every process of the run: the instances, MariaDB, Redis, HAProxy (above one instance) and the generator. */
    @Override
    public synchronized Tiers tiers() {
        var pids = new HashMap<Tier, List<Long>>();
        var services = new ArrayList<Long>();
        for (int i = 0; i < cluster.size(); i++) {
            services.add(cluster.instance(i).pid());
        }
        pids.put(Tier.SERVICE, services);
        pids.put(Tier.DATABASE, List.of(mariadb.pid()));
        pids.put(Tier.REDIS, List.of(redis.pid()));
        if (haproxy != null) {
            pids.put(Tier.PROXY, List.of(haproxy.pid()));
        }
        pids.put(Tier.GENERATOR, List.of(ProcessHandle.current().pid()));
        return new Tiers(pids, cluster.size(), redis.port(), mariadb.jdbcUrl());
    }

    /** For the summary: what ran, and once the runs are over, how HAProxy spread them. */
    synchronized String describe() {
        return haproxy == null || !haproxy.alive() ? description
                : description + ". Requests per instance (HAProxy's counters, warm-up and setup included): "
                        + haproxy.traffic();
    }

    @Override
    public URI baseUri() {
        return haproxy == null ? cluster.uris().getFirst() : haproxy.baseUri();
    }

    @Override
    public synchronized boolean alive() {
        return whyNotAlive() == null;
    }

    @Override
    public synchronized String whyNotAlive() {
        if (cluster == null || (haproxy == null && settings.instances() > 1)) {
            return "not started";
        }
        if (haproxy != null && !haproxy.alive()) {
            return "HAProxy died; log " + haproxy.log() + ":\n" + haproxy.tail(20);
        }
        if (!mariadb.alive()) {
            return "MariaDB died; log " + directory.resolve("mariadb.log");
        }
        if (!redis.alive()) {
            return "Redis died; log " + directory.resolve("redis.log");
        }
        for (int i = 0; i < cluster.size(); i++) {
            var instance = cluster.instance(i);
            if (!instance.alive()) {
                return "service instance " + i + " died; " + instance.whyNotAlive();
            }
        }
        return null;
    }

    /** HAProxy first (no new requests), then the instances, then their servers. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (var process : started.reversed()) {
            try {
                process.close();
            } catch (Exception e) {
                System.err.println("[bench] could not stop " + process + ": " + e.getMessage());
            }
        }
        if (home != null) {
            try (var files = Files.walk(home)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            } catch (IOException | RuntimeException e) {
                System.err.println("[bench] could not delete " + home + ": " + e.getMessage());
            }
        }
    }

    private Path relative(Path jar) {
        return jar.startsWith(settings.root()) ? settings.root().relativize(jar) : jar;
    }

    private static void say(String message) {
        System.out.println("[bench] " + message);
    }
}
