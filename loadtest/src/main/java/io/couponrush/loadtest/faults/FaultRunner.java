package io.couponrush.loadtest.faults;

import io.couponrush.loadtest.BenchSettings;
import io.couponrush.loadtest.ServiceClient;
import io.couponrush.loadtest.ServiceClient.Account;
import io.couponrush.loadtest.ServiceProcess;
import io.couponrush.loadtest.report.Machine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * {@code -Dbench.scenario=faults}: starts MariaDB, Redis and several service instances as real
 * processes, then for each fault and strategy runs one rush on a fresh coupon, strikes the fault
 * when a share of the users has been answered, waits for the coupon to settle, and checks every
 * answer against the rows. Writes {@code faults.md}; exits non-zero when a correct strategy was not
 * exact in some run or a run could not be completed. Everything it started is stopped by pid at
 * the end, also on failure or Ctrl-C.
 */
public final class FaultRunner {

    /** The strategy that is refused unless allowed: its violations are shown, never failed on. */
    private static final String UNSAFE_STRATEGY = BenchSettings.UNSAFE_STRATEGY;
    private static final Duration SETTLE_LIMIT = Duration.ofSeconds(90);
    private static final DateTimeFormatter FOLDER = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    private final BenchSettings bench;
    private final FaultSettings settings;
    private final Instant startedAt = Instant.now();
    private final Path directory;
    private final List<Cell> cells = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final ConcurrentLinkedDeque<AutoCloseable> started = new ConcurrentLinkedDeque<>();
    private String setup = "not started";

    private FaultRunner(BenchSettings bench) {
        this.bench = bench;
        this.settings = bench.faults().orElseThrow();
        this.directory = bench.resultsRoot().resolve(FOLDER.format(startedAt));
    }

    public static int run(BenchSettings bench) {
        return new FaultRunner(bench).execute();
    }

    private int execute() {
        say("faults: %s; strategies: %s; %s; results: %s".formatted(settings.faults().stream().map(Fault::id).toList(),
                bench.strategies(), settings.describe(), directory));
        var stopAll = new Thread(this::stopAll, "stop-fault-harness");
        Runtime.getRuntime().addShutdownHook(stopAll);
        Path home = null;
        try {
            Files.createDirectories(directory);
            requireBinaries();
            home = Files.createTempDirectory("couponrush-faults");
            runAll(home);
        } catch (Exception e) {
            problems.add(e.getClass().getSimpleName() + ": " + e.getMessage());
            System.err.println("[faults] " + e.getMessage());
        } finally {
            stopAll();
            try {
                Runtime.getRuntime().removeShutdownHook(stopAll);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running already
            }
            delete(home);
        }
        for (var strategy : bench.strategies()) {
            for (var fault : settings.faults()) {
                if (cells.stream().noneMatch(cell -> cell.fault() == fault && cell.strategy().equals(strategy))) {
                    cells.add(Cell.failed(fault, strategy, 0, "the harness stopped before this run"));
                }
            }
        }
        var header = new FaultReport.Header(startedAt, Instant.now(), Machine.detect().describe(), bench.command(),
                setup, List.copyOf(problems));
        var report = FaultReport.render(header, settings, bench.strategies(), cells);
        try {
            Files.writeString(directory.resolve("faults.md"), report);
        } catch (IOException e) {
            System.err.println("[faults] could not write the report: " + e.getMessage());
        }
        System.out.println();
        System.out.println(report);
        boolean failed = !problems.isEmpty()
                || cells.stream().anyMatch(cell -> !cell.strategy().equals(UNSAFE_STRATEGY) && !cell.exact());
        say("report: " + directory.resolve("faults.md"));
        say(failed ? "FAILED" : "OK");
        return failed ? 1 : 0;
    }

    private void runAll(Path home) throws Exception {
        int mariadbPort = ServiceProcess.freePort();
        say("MariaDB: a fresh datadir under " + home + ", port " + mariadbPort);
        var mariadb = new LocalMariaDb(settings, home.resolve("mariadb"), mariadbPort, directory.resolve("mariadb.log"));
        started.push(mariadb);
        mariadb.install();
        mariadb.start();
        mariadb.createDatabase();
        var secret = new byte[48];
        new SecureRandom().nextBytes(secret);
        var environment = new java.util.HashMap<>(Map.of(
                "SPRING_DATASOURCE_URL", mariadb.jdbcUrl(),
                "SPRING_DATASOURCE_USERNAME", "root",
                "SPRING_DATASOURCE_PASSWORD", "",
                // One secret for all: a token minted by one instance is accepted by every other.
                "COUPONRUSH_JWT_SECRET", Base64.getUrlEncoder().withoutPadding().encodeToString(secret)));
        LocalRedis redis;
        String redisSetup;
        if (settings.redisMasters() == 0) {
            int redisPort = ServiceProcess.freePort();
            redis = new LocalRedis(settings, home.resolve("redis"), redisPort, directory.resolve("redis.log"));
            Files.createDirectories(home.resolve("redis"));
            started.push(redis);
            redis.start();
            environment.put("SPRING_DATA_REDIS_HOST", "127.0.0.1");
            environment.put("SPRING_DATA_REDIS_PORT", Integer.toString(redisPort));
            redisSetup = "%s (port %d, no persistence)".formatted(redis.version(), redisPort);
        } else {
            var redisCluster = new LocalRedisCluster(settings, home, directory, settings.redisMasters());
            started.push(redisCluster);
            redisCluster.start();
            redis = redisCluster.first();
            environment.put("SPRING_DATA_REDIS_CLUSTER_NODES", redisCluster.nodes());
            redisSetup = "%s, a Redis Cluster of %d masters (%s, no persistence; the redis fault kills the first)"
                    .formatted(redis.version(), settings.redisMasters(), redisCluster.nodes());
        }
        say("%s (pid %d) on port %d, %s".formatted(mariadb.version(), mariadb.pid(), mariadbPort, redisSetup));
        var extraArgs = bench.strategies().contains(UNSAFE_STRATEGY)
                ? List.of("--couponrush.issuance.allow-unsafe=true") : List.<String>of();
        var cluster = new ServiceCluster(bench.serviceJar(), bench.serviceJvmArgs(), extraArgs, environment, directory,
                bench.startTimeout());
        started.push(cluster);
        long starting = System.nanoTime();
        say("starting %d service instances of %s".formatted(settings.instances(), bench.serviceJar()));
        cluster.start(settings.instances());
        say("instances healthy after %d s: %s".formatted(Duration.ofNanos(System.nanoTime() - starting).toSeconds(),
                cluster.uris()));
        setup = ("%s (`%s`, own datadir, port %d), %s, %d instances of `%s` (own processes,"
                + " distinct node ids, one JWT secret)").formatted(mariadb.version(), settings.mariadbd(), mariadbPort,
                redisSetup, settings.instances(), shortJar());

        var client = new ServiceClient(cluster.instance(0).baseUri());
        client.loginAdmin();
        var accounts = client.createAccounts(settings.users());
        say("%,d accounts with tokens".formatted(accounts.size()));
        var servers = new Servers(mariadb, redis, cluster, client, new CouponLedger(mariadb.jdbcUrl()), accounts);

        if (!bench.warmup().isZero()) {
            warmUp(servers);
        }
        for (var fault : settings.faults()) {
            for (var strategy : bench.strategies()) {
                long running = System.nanoTime();
                var cell = runCell(fault, strategy, servers);
                cells.add(cell);
                say("%s / %s (%d s): %s; stall: %s%s".formatted(fault.id(), strategy,
                        Duration.ofNanos(System.nanoTime() - running).toSeconds(), cell.verdictLabel(),
                        cell.stallLabel(), cell.error() == null ? "; " + cell.finalAnswersLabel() : ""));
                if (cell.error() != null) {
                    repair(servers);
                }
            }
        }
    }

    /** What a run needs, started once for all runs. */
    private record Servers(LocalMariaDb mariadb, LocalRedis redis, ServiceCluster cluster, ServiceClient client,
                           CouponLedger ledger, List<Account> accounts) {
    }

    /**
     * Cold instances answer the first burst several times slower than warm ones, which would show
     * as a stall of the first run; one unreported rush per strategy without a fault comes first.
     */
    private void warmUp(Servers servers) throws Exception {
        for (var strategy : bench.strategies()) {
            long coupon = createCoupon(servers, "faults warm-up " + strategy + " " + FOLDER.format(startedAt), strategy,
                    settings.users());
            var rush = new Rush(servers.cluster().uris(), coupon, servers.accounts(), shape());
            var result = rush.run(Integer.MAX_VALUE, () -> { });
            say("warm-up %s: %,d ms (not reported)".formatted(strategy, result.endMillis()));
        }
    }

    /**
     * A coupon, asked for again while the service answers 503: right after a strategy's rush (atomic's, above
     * all) its pool can still be full of requests waiting for the coupon row.
     */
    private long createCoupon(Servers servers, String name, String strategy, int stock) throws Exception {
        Long id = ServiceClient.patiently(() -> servers.client().createCoupon(name, strategy, stock, 1, Instant.now()),
                "POST /api/v1/coupons (" + name + ")", FaultRunner::say);
        if (id == null) {
            throw new IOException("the service did not create the coupon " + name);
        }
        return id;
    }

    private Cell runCell(Fault fault, String strategy, Servers servers) {
        long couponId = 0;
        try {
            servers.cluster().awaitHealthy();
            couponId = createCoupon(servers, "faults %s %s %s".formatted(fault.id(), strategy, FOLDER.format(startedAt)),
                    strategy, settings.stock());
            int victim = settings.instances() - 1; // instance 0 serves the harness's own calls
            var rush = new Rush(servers.cluster().uris(), couponId, servers.accounts(), shape());
            var injection = new Injection(fault, servers.cluster(), servers.redis(), servers.mariadb(), settings, victim,
                    rush::millis);
            int triggerAfter = Math.max(1, (int) Math.ceil(settings.faultAt() * settings.users()));
            var result = rush.run(triggerAfter, injection::strike);
            var window = injection.await(result.endMillis());
            if (fault == Fault.KILL) {
                // Started now, while the run settles; the next run waits until it is healthy.
                servers.cluster().replace(victim);
            }
            long notBefore = fault == Fault.NONE ? result.endMillis()
                    : window.endMillis() + settings.settleAfterFault().toMillis();
            settle(servers.ledger(), couponId, rush, notBefore);
            var holdings = servers.ledger().holdings(couponId);
            writeAnswers(fault, strategy, result.runs(), holdings);
            var cell = Cell.measured(fault, strategy, couponId, window, holdings, result.runs(), result.endMillis());
            servers.cluster().awaitHealthy();
            return cell;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return Cell.failed(fault, strategy, couponId, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /**
     * Waits until the coupon's remaining stock and row count have not moved for the stable period,
     * and not before {@code notBeforeMillis} on the rush's clock (the fault's end plus the settle
     * time): reservations and commits in flight when the fault struck get that long to land.
     */
    private void settle(CouponLedger ledger, long couponId, Rush rush, long notBeforeMillis)
            throws InterruptedException {
        long limit = Math.max(rush.millis(), notBeforeMillis) + settings.stableFor().toMillis() + SETTLE_LIMIT.toMillis();
        List<Long> previous = null;
        long stableSince = rush.millis();
        while (rush.millis() < limit) {
            List<Long> current;
            try {
                current = ledger.remainingAndRows(couponId);
            } catch (SQLException unreachable) {
                current = null; // the database is still coming back
            }
            long now = rush.millis();
            if (current == null || !current.equals(previous)) {
                previous = current;
                stableSince = now;
            } else if (now >= notBeforeMillis && now - stableSince >= settings.stableFor().toMillis()) {
                return;
            }
            // polling another process's database: the time between reads is the measurement
            Thread.sleep(250);
        }
        say("coupon %d was still changing %d s after the fault; checking anyway".formatted(couponId,
                SETTLE_LIMIT.toSeconds()));
    }

    /**
     * After a run that failed half-way: restart whatever it left dead (a server killed whose restart
     * failed, an instance killed and not yet replaced) so the next runs start from a whole setup.
     */
    private void repair(Servers servers) {
        try {
            if (!servers.mariadb().alive()) {
                servers.mariadb().start();
            }
            if (!servers.redis().alive()) {
                servers.redis().start();
            }
            for (int i = 0; i < servers.cluster().size(); i++) {
                if (!servers.cluster().instance(i).alive()) {
                    servers.cluster().replace(i);
                }
            }
            servers.cluster().awaitHealthy();
        } catch (Exception e) {
            throw new IllegalStateException("could not restore the servers after a failed run: " + e.getMessage(), e);
        }
    }

    private Rush.Shape shape() {
        return new Rush.Shape(settings.launchWindow(), settings.clientTimeout(), settings.retries(),
                settings.retryAfterCap());
    }

    /** Every attempt of every user and every row, for whoever wants to look behind a verdict. */
    private void writeAnswers(Fault fault, String strategy, List<UserRun> runs, Holdings holdings)
            throws IOException {
        var lines = new ArrayList<String>();
        lines.add("user_id,attempt,instance,sent_ms,answered_ms,kind,status,code,user_coupon_id,retry_after_s");
        for (var run : runs) {
            int number = 0;
            for (var attempt : run.attempts()) {
                lines.add("%d,%d,%d,%d,%d,%s,%d,%s,%d,%d".formatted(run.userId(), number++, attempt.instance(),
                        attempt.sentMillis(), attempt.answeredMillis(), attempt.kind(), attempt.status(),
                        attempt.code(), attempt.userCouponId(), attempt.retryAfterSeconds()));
            }
        }
        var folder = directory.resolve("answers");
        Files.createDirectories(folder);
        Files.write(folder.resolve(fault.id() + "-" + strategy + ".csv"), lines);
        var rows = new ArrayList<String>();
        rows.add("user_coupon_id,user_id");
        holdings.rowOwners().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(row -> rows.add(row.getKey() + "," + row.getValue()));
        Files.write(folder.resolve(fault.id() + "-" + strategy + "-rows.csv"), rows);
    }

    private void requireBinaries() throws IOException {
        for (var binary : List.of(settings.mariadbd(), settings.mariadbInstallDb(), settings.redisServer())) {
            if (!Files.isExecutable(binary)) {
                throw new IOException(binary + " is missing: run scripts/install-packages.sh (mariadb-server,"
                        + " redis-server), or point -Dbench.mariadbd / -Dbench.mariadbInstallDb / -Dbench.redisServer"
                        + " at them");
            }
        }
        if (!Files.isRegularFile(bench.serviceJar())) {
            throw new IOException(bench.serviceJar() + " does not exist: build it with"
                    + " ./mvnw -pl service -am package -DskipTests");
        }
    }

    /** Instances first (they hold connections to the servers), then Redis, then MariaDB. */
    private synchronized void stopAll() {
        AutoCloseable resource;
        while ((resource = started.pollFirst()) != null) {
            try {
                resource.close();
            } catch (Exception e) {
                System.err.println("[faults] stopping " + resource.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
    }

    private String shortJar() {
        var jar = bench.serviceJar();
        return jar.startsWith(bench.root()) ? bench.root().relativize(jar).toString() : jar.toString();
    }

    public static void delete(Path home) {
        if (home == null) {
            return;
        }
        try (var files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException | RuntimeException e) {
            System.err.println("[faults] could not delete " + home + ": " + e.getMessage());
        }
    }

    private static void say(String message) {
        System.out.println("[faults] " + message);
    }
}
