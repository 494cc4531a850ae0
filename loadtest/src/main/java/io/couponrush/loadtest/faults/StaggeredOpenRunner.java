package io.couponrush.loadtest.faults;

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
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
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
 * instances (users alternate between them). Both the client's view (launch ranks) and the service's
 * own audit (arrival stamps) are reported, with the client's launch jitter beside them. Fails only
 * on integrity (an inconsistent audit, an undefined answer); the order numbers are measurements.
 */
public final class StaggeredOpenRunner {

    public static final String SCENARIO = "staggered-open";
    private static final List<String> ALL = List.of("pessimistic", "optimistic", "redis-lock", "atomic", "batched",
            "redis-gate");
    private static final List<String> SMOKE = List.of("batched", "redis-gate", "atomic");
    private static final Pattern CODE = Pattern.compile("\"code\"\\s*:\\s*\"([A-Z_]+)\"");
    private static final DateTimeFormatter FOLDER = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    /** Longer than the service's warm-up lead is not needed: it looks every second for coupons opening within 10 s. */
    private static final Duration OPENS_IN = Duration.ofSeconds(4);

    private record Settings(Path root, Path jar, Path results, boolean smoke, List<String> strategies,
            List<Integer> instances, int users, int stock, long spacingNanos, FaultSettings servers, String command) {
    }

    /** One measured burst. */
    private record Run(String strategy, int instances, boolean cold, OpeningOrder order, OpeningOrder.Jitter jitter,
            String audit, boolean consistent) {
    }

    private final Settings settings;
    private final ConcurrentLinkedDeque<AutoCloseable> started = new ConcurrentLinkedDeque<>();
    private final List<Run> runs = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private StaggeredOpenRunner(Settings settings) {
        this.settings = settings;
    }

    public static int run(Properties properties) {
        return new StaggeredOpenRunner(settings(properties)).execute();
    }

    private static Settings settings(Properties p) {
        var root = Path.of(p.getProperty("bench.root", ".")).toAbsolutePath().normalize();
        boolean smoke = Boolean.parseBoolean(text(p, "bench.smoke", "false"));
        var strategies = list(text(p, "bench.strategies", String.join(",", smoke ? SMOKE : ALL)));
        var instances = list(text(p, "bench.instances", "1,2")).stream().map(Integer::parseInt).toList();
        var forServers = new Properties();
        forServers.putAll(p);
        forServers.remove("bench.instances"); // a list here; the server settings only need the binaries
        forServers.remove("bench.users");
        forServers.remove("bench.stock");
        double spacingMillis = Double.parseDouble(text(p, "bench.spacingMillis", "2"));
        var command = "./mvnw -B -pl loadtest -am verify -Pbench -DskipTests " + String.join(" ",
                p.stringPropertyNames().stream().filter(n -> n.startsWith("bench.") && !n.equals("bench.root"))
                        .filter(n -> !p.getProperty(n).isBlank()).sorted().map(n -> "-D" + n + "=" + p.getProperty(n))
                        .toList());
        return new Settings(root, root.resolve(text(p, "bench.serviceJar", "service/target/couponrush-service.jar")),
                root.resolve(text(p, "bench.resultsDir", "loadtest/results")), smoke, strategies, instances,
                Integer.parseInt(text(p, "bench.users", smoke ? "150" : "300")),
                Integer.parseInt(text(p, "bench.stock", smoke ? "50" : "100")),
                Math.round(spacingMillis * 1_000_000), FaultSettings.from(forServers, smoke), command);
    }

    private static String text(Properties p, String name, String fallback) {
        var value = p.getProperty(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static List<String> list(String comma) {
        return Arrays.stream(comma.split(",")).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
    }

    private int execute() {
        var directory = settings.results().resolve(FOLDER.format(Instant.now()));
        var stopAll = new Thread(this::stopAll, "stop-staggered-open");
        Runtime.getRuntime().addShutdownHook(stopAll);
        Path home = null;
        try {
            Files.createDirectories(directory);
            home = Files.createTempDirectory("couponrush-opening");
            runAll(home, directory);
        } catch (Exception e) {
            problems.add(e.getClass().getSimpleName() + ": " + e.getMessage());
            System.err.println("[staggered-open] " + e.getMessage());
        } finally {
            stopAll();
            try {
                Runtime.getRuntime().removeShutdownHook(stopAll);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running already
            }
            FaultRunner.delete(home);
        }
        var report = report();
        try {
            Files.writeString(directory.resolve("staggered-open.md"), report);
        } catch (IOException e) {
            System.err.println("[staggered-open] could not write the report: " + e.getMessage());
        }
        System.out.println();
        System.out.println(report);
        boolean failed = !problems.isEmpty() || runs.stream().anyMatch(r -> !r.consistent() || r.order().undefined() > 0);
        say(failed ? "FAILED" : "OK");
        return failed ? 1 : 0;
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
        var cluster = new ServiceCluster(settings.jar(), List.of(), List.of(), environment, directory, Duration.ofSeconds(300));
        started.push(cluster);
        say("starting %d service instances on %s and %s".formatted(most, mariadb.version(), redis.version()));
        cluster.start(most);
        var admin = new ServiceClient(cluster.instance(0).baseUri());
        admin.loginAdmin();
        var accounts = admin.createAccounts(settings.users() + 1);
        var warmer = accounts.getLast();
        var burst = accounts.subList(0, settings.users());
        // the JIT's first pass is not what a flash sale meets on a running service
        for (var strategy : settings.strategies()) {
            long coupon = admin.createCoupon("warm-up " + strategy, strategy, 1_000_000, 0, Instant.now());
            burst(cluster.uris().subList(0, most), burst, coupon, Instant.now().plusMillis(300));
        }
        for (int instances : settings.instances()) {
            var targets = cluster.uris().subList(0, instances);
            for (var strategy : settings.strategies()) {
                for (boolean cold : List.of(true, false)) {
                    runs.add(measure(admin, targets, burst, warmer, strategy, cold));
                }
            }
        }
    }

    private Run measure(ServiceClient admin, List<URI> targets, List<ServiceClient.Account> users,
            ServiceClient.Account warmer, String strategy, boolean cold) throws Exception {
        long coupon;
        Instant opening;
        var name = "staggered-open %s %s".formatted(strategy, cold ? "cold" : "warm");
        if (cold) {
            opening = Instant.now().plus(OPENS_IN).truncatedTo(ChronoUnit.MILLIS);
            coupon = admin.createCoupon(name, strategy, settings.stock(), 1, opening, opening.plus(1, ChronoUnit.DAYS));
        } else {
            coupon = admin.createCoupon(name, strategy, settings.stock() + 1, 1, Instant.now());
            send(targets.getFirst(), coupon, warmer.token()).join();
            opening = Instant.now().plusMillis(500);
        }
        var result = burst(targets, users, coupon, opening);
        if (targets.size() > 1) {
            var byInstance = new java.util.TreeMap<String, Integer>();
            for (var answer : result.answers()) {
                byInstance.merge("instance " + ((answer.rank() - 1) % targets.size()) + " " + answer.code()
                        + (answer.rank() <= settings.stock() ? " (early)" : " (late)"), 1, Integer::sum);
            }
            say("%s %s: answers by instance: %s".formatted(strategy, cold ? "cold" : "warm", byInstance));
        }
        Thread.sleep(2_000); // the service writes its sold-out arrivals within a second
        var audit = admin.auditJson(coupon);
        var order = audit.path("arrivalOrder");
        var run = new Run(strategy, targets.size(), cold, OpeningOrder.of(settings.stock(), result.answers()), result.jitter(),
                "%.1f %% (%d after the first refusal, %d refused before the last grant)".formatted(
                        order.path("outOfOrderPercent").asDouble(), order.path("grantsAfterFirstRefusal").asLong(),
                        order.path("refusalsBeforeLastGrant").asLong()),
                audit.path("consistent").asBoolean());
        say("%s, %s, %d instance(s): %s; audit %s; launch jitter %s%s".formatted(strategy, cold ? "cold" : "warm",
                targets.size(), run.order().cell(), run.audit(), run.jitter(), run.consistent() ? "" : "; AUDIT INCONSISTENT"));
        return run;
    }

    private record Burst(List<OpeningOrder.Answer> answers, OpeningOrder.Jitter jitter) {
    }

    /**
     * Every user gets a warm keep-alive connection first, so connection set-up cannot reorder the
     * arrivals; then one launcher thread releases the requests at their instants (rank 1 at the opening).
     */
    private Burst burst(List<URI> targets, List<ServiceClient.Account> users, long coupon, Instant opening)
            throws Exception {
        var warm = new ArrayList<CompletableFuture<?>>();
        for (int i = 0; i < users.size(); i++) {
            var request = HttpRequest.newBuilder(targets.get(i % targets.size()).resolve("/actuator/health"))
                    .timeout(Duration.ofSeconds(30)).build();
            warm.add(http.sendAsync(request, HttpResponse.BodyHandlers.discarding()));
        }
        CompletableFuture.allOf(warm.toArray(CompletableFuture[]::new)).join();

        long startNanos = System.nanoTime() + Math.max(0, Duration.between(Instant.now(), opening).toNanos());
        var answers = new ArrayList<CompletableFuture<OpeningOrder.Answer>>(users.size());
        var lateness = new long[users.size()];
        for (int i = 0; i < users.size(); i++) {
            long due = startNanos + i * settings.spacingNanos();
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                if (wait > 200_000) {
                    LockSupport.parkNanos(wait - 150_000);
                } else {
                    Thread.onSpinWait();
                }
            }
            lateness[i] = System.nanoTime() - due;
            int rank = i + 1;
            answers.add(send(targets.get(i % targets.size()), coupon, users.get(i).token())
                    .thenApply(code -> new OpeningOrder.Answer(rank, code)));
        }
        var collected = answers.stream().map(CompletableFuture::join).toList();
        return new Burst(collected, OpeningOrder.Jitter.of(lateness));
    }

    private CompletableFuture<String> send(URI target, long coupon, String token) {
        var request = HttpRequest.newBuilder(target.resolve("/api/v1/coupons/" + coupon + "/issue"))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, failure) -> {
            if (failure != null) {
                return "NO_ANSWER";
            }
            if (response.statusCode() == 201) {
                return "ISSUED";
            }
            var matcher = CODE.matcher(response.body());
            return matcher.find() ? matcher.group(1) : "HTTP_" + response.statusCode();
        });
    }

    private String report() {
        var out = new StringBuilder("# staggered-open: first come, first served\n\n");
        out.append("Machine: ").append(Machine.detect().describe()).append("  \n");
        out.append("Command: `").append(settings.command()).append("`  \n");
        out.append("%,d users, one request each, launched %.1f ms apart, the first at the opening; stock %,d (limit 1). "
                .formatted(settings.users(), settings.spacingNanos() / 1e6, settings.stock()));
        out.append("Cold: the first burst to a fresh coupon at its opening. Warm: the coupon was open and had one issue before. ");
        out.append("With 2 instances users alternate between them. Cell: copies granted to users who arrived after the ")
                .append("stock-th, as a share of the stock (the latest winner's launch rank); below, the service's own audit.\n\n");
        var columns = new ArrayList<String>();
        for (int n : settings.instances()) {
            columns.add("cold, " + n + " instance" + (n == 1 ? "" : "s"));
            columns.add("warm, " + n + " instance" + (n == 1 ? "" : "s"));
        }
        out.append("| strategy | ").append(String.join(" | ", columns)).append(" |\n|---|");
        out.append("---|".repeat(columns.size())).append('\n');
        for (var strategy : settings.strategies()) {
            out.append("| ").append(strategy).append(" |");
            for (int n : settings.instances()) {
                for (boolean cold : List.of(true, false)) {
                    out.append(' ').append(runs.stream().filter(r -> r.strategy().equals(strategy)
                            && r.instances() == n && r.cold() == cold).findFirst()
                            .map(r -> r.order().cell() + (r.consistent() && r.order().undefined() == 0 ? "" : " **INTEGRITY**"))
                            .orElse("–")).append(" |");
                }
            }
            out.append('\n');
        }
        out.append("\n| strategy | instances | case | audit: out of order | users ranked within the stock told sold out | launch jitter |\n");
        out.append("|---|---:|---|---|---:|---|\n");
        for (var run : runs) {
            out.append("| %s | %d | %s | %s | %d | %s |\n".formatted(run.strategy(), run.instances(), run.cold() ? "cold" : "warm",
                    run.audit(), run.order().earlyRefusals(), run.jitter()));
        }
        var cold = runs.stream().filter(r -> r.cold() && List.of("batched", "redis-gate").contains(r.strategy())).toList();
        if (!cold.isEmpty()) {
            boolean met = cold.stream().allMatch(r -> r.order().outOfOrderPercent() <= 3.0);
            out.append("\nGoal (issue 14): `batched` and `redis-gate` serve ≤ 3 % of their copies out of arrival order on ")
                    .append("the cold first burst: **").append(met ? "met" : "not met").append("** in this run.\n");
        }
        if (!problems.isEmpty()) {
            out.append("\nProblems: ").append(String.join("; ", problems)).append('\n');
        }
        return out.toString();
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

    private static void say(String message) {
        System.out.println("[staggered-open] " + message);
        System.out.flush();
    }
}
