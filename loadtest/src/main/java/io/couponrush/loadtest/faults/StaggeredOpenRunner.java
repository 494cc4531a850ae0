package io.couponrush.loadtest.faults;

import io.couponrush.loadtest.cluster.HarnessRun;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;

import io.couponrush.loadtest.ServiceClient;
import io.couponrush.loadtest.ServiceProcess;
import io.couponrush.loadtest.report.Machine;

/**
 * {@code -Dbench.scenario=staggered-open}: first come, first served, measured (I9). Users launched
 * at known instants a fixed spacing apart, one request each, the first exactly when the coupon's
 * window opens; a first-come service grants exactly the first {@code stock} of them. For every
 * strategy: the COLD case (the first burst to a fresh coupon at its opening, the one a flash sale
 * has) and the WARM case (a coupon that was open and had an issue before), on 1 and on 2 service
 * instances (users alternate between them). Every measured burst is by accounts no instance has seen
 * (created for it, their connections warmed without their tokens), as at a real sale; at full size the
 * same bursts by accounts every instance has seen are the control. Both the client's view (launch
 * ranks) and the service's own audit (arrival stamps) are reported, with the client's launch jitter
 * beside them. Fails only on integrity (an inconsistent audit, an undefined answer, 201s without rows, stock stranded after a
 * sold-out answer); the order numbers are measurements.
 */
public final class StaggeredOpenRunner {

    public static final String SCENARIO = StaggeredOpenSettings.SCENARIO;
    private static final Pattern CODE = Pattern.compile("\"code\"\\s*:\\s*\"([A-Z_]+)\"");
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);
    /** The warm case's burst comes this long after the coupon's creation: past the service's 1-second warm-up. */
    private static final Duration WARM_AFTER = Duration.ofMillis(1_500);
    /** Public and cheap (no database, no token): warms a connection without telling the instance who will use it. */
    private static final String LIVENESS = "/actuator/health/liveness";
    /** Parked until this close to an instant, then spinning: parking wakes up late by tens of microseconds. */
    private static final long SPIN_NANOS = 200_000;

    private final StaggeredOpenSettings settings;
    private final ConcurrentLinkedDeque<AutoCloseable> started = new ConcurrentLinkedDeque<>();
    private final List<OpeningRun> runs = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    /** Where the servers the run starts keep their data (deleted once they have stopped). */
    private Path home;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private StaggeredOpenRunner(StaggeredOpenSettings settings) {
        this.settings = settings;
    }

    public static int run(Properties properties) {
        StaggeredOpenSettings settings;
        try {
            settings = StaggeredOpenSettings.from(properties);
        } catch (IllegalArgumentException e) {
            System.err.println("[staggered-open] " + e.getMessage());
            return 2;
        }
        return new StaggeredOpenRunner(settings).execute();
    }

    private int execute() {
        var run = HarnessRun.run("staggered-open", settings.results(), this::stopAll, problems, directory -> {
            home = Files.createTempDirectory("couponrush-opening");
            runAll(home, directory);
        });
        FaultRunner.delete(home); // once the servers that kept their data there have stopped
        var report = StaggeredOpenReport.render(settings, Machine.detect().describe(), runs, problems);
        return run.finish(report, !problems.isEmpty() || runs.stream().anyMatch(r -> !r.violations().isEmpty()));
    }

    private void runAll(Path home, Path directory) throws Exception {
        var servers = settings.servers();
        var mariadb = new LocalMariaDb(servers, home.resolve("mariadb"), ServiceProcess.freePort(), directory.resolve("mariadb.log"));
        started.push(mariadb);
        mariadb.install();
        mariadb.start();
        mariadb.createDatabase();
        var redis = new LocalRedis(servers, home.resolve("redis"), ServiceProcess.freePort(), directory.resolve("redis.log"));
        Files.createDirectories(home.resolve("redis"));
        started.push(redis);
        redis.start();
        var secret = new byte[48];
        new SecureRandom().nextBytes(secret);
        var environment = Map.of(
                "SPRING_DATASOURCE_URL", mariadb.jdbcUrl(), "SPRING_DATASOURCE_USERNAME", "root",
                "SPRING_DATASOURCE_PASSWORD", "", "SPRING_DATA_REDIS_HOST", "127.0.0.1",
                "SPRING_DATA_REDIS_PORT", Integer.toString(redis.port()),
                "COUPONRUSH_JWT_SECRET", Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
        int most = settings.instances().stream().mapToInt(Integer::intValue).max().orElse(1);
        var cluster = new ServiceCluster(settings.jar(), settings.serviceJvmArgs(), settings.serviceArgs(), environment,
                directory, settings.startTimeout());
        started.push(cluster);
        say("starting %d service instance(s) on %s and %s".formatted(most, mariadb.version(), redis.version()));
        cluster.start(most);
        var admin = new ServiceClient(cluster.instance(0).baseUri());
        admin.loginAdmin();
        // the warm-up's accounts, seen by every instance: the control's burst and the warm case's earlier user
        var accounts = admin.createAccounts(settings.users() + 1);
        var warmer = accounts.getLast();
        var seen = accounts.subList(0, settings.users());
        // the JIT's first pass is not what a flash sale meets on a running service
        for (var strategy : settings.strategies()) {
            long coupon = admin.createCoupon("warm-up " + strategy, strategy, 1_000_000, 0, Instant.now());
            burst(cluster.uris().subList(0, most), seen, coupon, Instant.now(), false, true);
        }
        for (int instances : settings.instances()) {
            var targets = cluster.uris().subList(0, instances);
            for (var strategy : settings.strategies()) {
                for (boolean cold : List.of(true, false)) {
                    runs.add(measure(admin, targets, null, warmer, strategy, cold));
                }
                if (settings.seenAccounts()) {
                    for (boolean cold : List.of(true, false)) {
                        runs.add(measure(admin, targets, seen, warmer, strategy, cold));
                    }
                }
            }
        }
    }

    /**
     * @param seenUsers the control's accounts, every instance has verified and read them; {@code null}:
     *                  accounts created for this burst, which no instance has seen
     */
    private OpeningRun measure(ServiceClient admin, List<URI> targets, List<ServiceClient.Account> seenUsers,
            ServiceClient.Account warmer, String strategy, boolean cold) throws Exception {
        boolean seen = seenUsers != null;
        // created well before the opening, as a real sale's accounts are: the instances' change feeds
        // have reported them by then, so what is measured is a first touch, not a sign-up racing its feed
        var created = Instant.now();
        var users = seen ? seenUsers : admin.createAccounts(settings.users());
        long coupon;
        Instant opening;
        var name = "staggered-open %s %s%s".formatted(strategy, cold ? "cold" : "warm", seen ? " seen" : "");
        if (cold) {
            // ISO instants to the millisecond; the burst's rank 1 is launched exactly then
            opening = Instant.now().plus(settings.opensIn()).truncatedTo(ChronoUnit.MILLIS);
            coupon = admin.createCoupon(name, strategy, settings.stock(), 1, opening, opening.plus(1, ChronoUnit.DAYS));
        } else {
            coupon = admin.createCoupon(name, strategy, settings.stock() + 1, 1, Instant.now());
            // Warm on every instance the burst meets: one grant on the first, the same user's repeat on
            // the others (ALREADY_ISSUED), and past the service's own warm-up, which runs every second.
            opening = later(Instant.now().plus(WARM_AFTER), created.plus(StaggeredOpenSettings.UNSEEN_AHEAD));
            for (int i = 0; i < targets.size(); i++) {
                var earlier = send(targets.get(i), coupon, warmer.token()).join();
                var expected = i == 0 ? "ISSUED" : "ALREADY_ISSUED";
                if (!earlier.equals(expected)) {
                    throw new IOException("the warm case's earlier issue on instance %d answered %s, not %s"
                            .formatted(i, earlier, expected));
                }
            }
        }
        if (cold && opening.isBefore(created.plus(StaggeredOpenSettings.UNSEEN_AHEAD))) {
            throw new IllegalStateException("a cold coupon opens at least " + StaggeredOpenSettings.UNSEEN_AHEAD
                    + " after its burst's accounts were created");
        }
        var result = burst(targets, users, coupon, opening, cold, seen);
        var order = OpeningOrder.of(settings.stock(), result.answers());
        var audit = settledAudit(admin, coupon, order.soldOut());
        var violations = audit.violations(order, cold ? 0 : 1);
        if (result.late()) {
            say("WARNING: the connections were not ready before the opening; the launches were late (see the jitter)");
        }
        var run = new OpeningRun(strategy, targets.size(), cold, seen, order, result.jitter(), result.lastAnswerMillis(), audit,
                OpeningOrder.byInstance(settings.stock(), result.answers(), targets.size()), violations);
        var codes = new TreeMap<String, Integer>();
        result.answers().forEach(a -> codes.merge(a.code(), 1, Integer::sum));
        say("%s, %s, %d instance(s): %s, %d ranked ≤ stock told sold out; audit %.1f %% (%d after the first refusal, "
                .formatted(strategy, run.kind(), run.instances(), order.cell(), order.earlyRefusals(),
                        audit.outOfOrderPercent(), audit.grantsAfterFirstRefusal())
                + "%d refused before the last grant); client jitter %s; answers %s; last answer %.0f ms%s%s".formatted(
                        audit.refusalsBeforeLastGrant(), run.jitter(), codes, run.lastAnswerMillis(),
                        targets.size() > 1 ? "; per instance late winners / early sold out: " + run.byInstance() : "",
                        violations.isEmpty() ? "" : "; INTEGRITY: " + String.join("; ", violations)));
        return run;
    }

    private record Burst(List<OpeningOrder.Answer> answers, OpeningOrder.Jitter jitter, double lastAnswerMillis,
            boolean late) {
    }

    /**
     * Every user gets its own keep-alive connection first, warmed by one request, so connection set-up
     * cannot reorder the arrivals; a reader per connection waits for the answer. Then this (platform)
     * thread writes each request itself at its instant, rank 1 at the opening (unless {@code exact}: not
     * before the connections are ready), and notes when each write returned.
     *
     * @param seen the warming request is an authenticated ping with the user's token (the instance
     *             verifies the token and knows the account before the opening); otherwise it carries no
     *             token, so the issue request is the first the instance sees of the user
     */
    private Burst burst(List<URI> targets, List<ServiceClient.Account> users, long coupon, Instant opening,
            boolean exact, boolean seen) throws Exception {
        int n = users.size();
        var connections = new RawConnection[n];
        try (var readers = Executors.newVirtualThreadPerTaskExecutor()) {
            try {
                var ready = new ArrayList<Future<?>>(n);
                for (int i = 0; i < n; i++) {
                    int index = i;
                    ready.add(readers.submit(() -> {
                        var connection = RawConnection.open(targets.get(index % targets.size()), ANSWER_TIMEOUT);
                        connections[index] = connection;
                        var pong = connection.exchange(seen
                                ? connection.request("GET", "/api/v1/loadtest/ping", users.get(index).token())
                                : connection.request("GET", LIVENESS, null));
                        if (pong.status() != 200 || !pong.keepAlive()) {
                            throw new IOException("warming %s answered %d%s".formatted(seen ? "ping" : "liveness probe",
                                    pong.status(), pong.keepAlive() ? "" : " and closes the connection"));
                        }
                        return null;
                    }));
                }
                for (var future : ready) {
                    future.get();
                }
                var requests = new byte[n][];
                for (int i = 0; i < n; i++) {
                    requests[i] = connections[i].request("POST", "/api/v1/coupons/" + coupon + "/issue",
                            users.get(i).token());
                }
                var codes = new String[n];
                var answeredAt = new long[n];
                var answered = new ArrayList<Future<?>>(n);
                for (int i = 0; i < n; i++) {
                    int index = i;
                    answered.add(readers.submit(() -> {
                        codes[index] = code(connections[index]);
                        answeredAt[index] = System.nanoTime();
                    }));
                }
                var earliest = Instant.now().plusMillis(100); // the readers are started by then
                boolean late = exact && earliest.isAfter(opening);
                var start = exact || opening.isAfter(earliest) ? opening : earliest;
                long startNanos = System.nanoTime() + Duration.between(Instant.now(), start).toNanos();
                var lateness = new long[n];
                for (int i = 0; i < n; i++) {
                    long due = startNanos + i * settings.spacingNanos();
                    long wait;
                    while ((wait = due - System.nanoTime()) > 0) {
                        if (wait > SPIN_NANOS) {
                            LockSupport.parkNanos(wait - SPIN_NANOS);
                        } else {
                            Thread.onSpinWait();
                        }
                    }
                    try {
                        connections[i].write(requests[i]);
                    } catch (IOException e) {
                        connections[i].close(); // its reader ends with NO_ANSWER
                    }
                    lateness[i] = System.nanoTime() - due;
                }
                for (var future : answered) {
                    future.get();
                }
                var answers = new ArrayList<OpeningOrder.Answer>(n);
                long last = startNanos;
                for (int i = 0; i < n; i++) {
                    answers.add(new OpeningOrder.Answer(i + 1, codes[i]));
                    last = Math.max(last, answeredAt[i]);
                }
                return new Burst(answers, OpeningOrder.Jitter.of(lateness), (last - startNanos) / 1e6, late);
            } finally {
                for (var connection : connections) {
                    if (connection != null) {
                        connection.close();
                    }
                }
            }
        }
    }

    /** The outcome code of one issue answer: ISSUED for a 201, the problem's code, or why there is none. */
    private static String code(RawConnection connection) {
        try {
            var response = connection.read();
            return code(response.status(), response.body());
        } catch (IOException e) {
            return "NO_ANSWER";
        }
    }

    private static String code(int status, String body) {
        if (status == 201) {
            return "ISSUED";
        }
        var matcher = CODE.matcher(body);
        return matcher.find() ? matcher.group(1) : "HTTP_" + status;
    }

    private CompletableFuture<String> send(URI target, long coupon, String token) {
        var request = HttpRequest.newBuilder(target.resolve("/api/v1/coupons/" + coupon + "/issue"))
                .timeout(ANSWER_TIMEOUT).header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .handle((response, failure) -> failure != null ? "NO_ANSWER" : code(response.statusCode(), response.body()));
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private void stopAll() {
        AutoCloseable next;
        while ((next = started.poll()) != null) {
            try {
                next.close();
            } catch (Exception e) {
                System.err.println("[staggered-open] could not stop " + next + ": " + e.getMessage());
            }
        }
    }

    /**
     * The audit once the service has written the sold-out arrivals it answered (each instance writes
     * them in the background, every second, the first 5,000 per coupon): asked every 100 ms until it
     * counts as many as the launcher was told, for 10 s at most (then it is taken as it is, and the
     * report shows the shortfall).
     */
    private static OpeningAudit settledAudit(ServiceClient admin, long coupon, int soldOutAnswers)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (true) {
            var audit = OpeningAudit.of(admin.auditJson(coupon));
            if (audit.refusalsRecorded() >= soldOutAnswers || System.nanoTime() > deadline) {
                return audit;
            }
            // another process's background writer: nothing to wait on but time between two looks
            Thread.sleep(100);
        }
    }

    private static void say(String message) {
        System.out.println("[staggered-open] " + message);
        System.out.flush();
    }
}
