package io.couponrush.loadtest.door;

import io.couponrush.loadtest.cluster.HarnessRun;
import io.couponrush.loadtest.ServiceClient;
import io.couponrush.loadtest.ServiceProcess;
import io.couponrush.loadtest.faults.FaultRunner;
import io.couponrush.loadtest.faults.LocalMariaDb;
import io.couponrush.loadtest.faults.LocalRedis;
import io.couponrush.loadtest.faults.ServiceCluster;
import io.couponrush.loadtest.integrity.AuditReport;
import io.couponrush.loadtest.integrity.CouponDatabase;
import io.couponrush.loadtest.integrity.IntegrityVerdict;
import io.couponrush.loadtest.report.Machine;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * {@code -Dbench.scenario=opening-door}: a crowd whose access tokens expired just before a sale opens
 * presses at once. Case {@code refresh}: every member renews its token with its session's refresh token
 * (no BCrypt); case {@code log in again}: with its password (one BCrypt each, through the service's
 * password line). Reported per case: the time until everyone had the answer to its press, the answers
 * by request and code, the BCrypt hashes the instances computed meanwhile, the requests sent and the
 * latencies; and the coupon's integrity. Fails only on integrity or when the run could not be made.
 */
public final class OpeningDoorRunner {

    public static final String SCENARIO = OpeningDoorSettings.SCENARIO;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    /** A coupon is created at least this long before it opens: past the service's warm-up (every second, within 10 s). */
    private static final Duration OPENS_IN = Duration.ofSeconds(6);
    /** The crowd's connections are opened this long before the opening (idle far less than Tomcat's keep-alive). */
    private static final Duration CONNECT_AHEAD = Duration.ofSeconds(5);
    /** The crowds' tokens are refused at least this long before the first opening. */
    private static final Duration EXPIRED_BEFORE = Duration.ofSeconds(2);
    private static final Duration SETTLE_LIMIT = Duration.ofSeconds(30);
    private static final Duration STABLE_FOR = Duration.ofSeconds(1);

    private final OpeningDoorSettings settings;
    private final ConcurrentLinkedDeque<AutoCloseable> started = new ConcurrentLinkedDeque<>();
    private final List<CaseResult> cases = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    /** Where the servers the run starts keep their data (deleted once they have stopped). */
    private Path home;
    private final List<String> notes = new ArrayList<>();
    private String setup = "not started";
    private String expired = "before the opening";

    private OpeningDoorRunner(OpeningDoorSettings settings) {
        this.settings = settings;
    }

    public static int run(Properties properties) {
        OpeningDoorSettings settings;
        try {
            settings = OpeningDoorSettings.from(properties);
        } catch (IllegalArgumentException e) {
            System.err.println("[opening-door] " + e.getMessage());
            return 2;
        }
        return new OpeningDoorRunner(settings).execute();
    }

    private int execute() {
        var run = HarnessRun.run("opening-door", settings.results(), this::stopAll, problems, directory -> {
            home = Files.createTempDirectory("couponrush-door");
            runAll(home, directory);
        });
        FaultRunner.delete(home); // once the servers that kept their data there have stopped
        var report = OpeningDoorReport.render(settings, Machine.detect().describe(), setup, expired, cases, notes, problems);
        return run.finish(report, !problems.isEmpty() || cases.stream().anyMatch(c -> !c.exact()));
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
        var cluster = new ServiceCluster(settings.jar(), settings.serviceJvmArgs(), OpeningDoorSettings.serviceArgs(),
                environment, directory, settings.startTimeout());
        started.push(cluster);
        say("starting %d service instance(s) on %s and %s".formatted(settings.instances(), mariadb.version(), redis.version()));
        cluster.start(settings.instances());
        setup = "%d service instance%s (%s), %s, %s, all on this machine".formatted(settings.instances(),
                settings.instances() == 1 ? "" : "s", String.join(" ", OpeningDoorSettings.serviceArgs()),
                mariadb.version(), redis.version());
        var targets = cluster.uris();
        var admin = new ServiceClient(targets.getFirst());
        admin.loginAdmin();
        var counters = new ArrayList<ServiceClient>();
        for (var target : targets) {
            var counter = new ServiceClient(target);
            counter.loginAdmin();
            counters.add(counter);
        }

        // The crowds first: the minute of skew their tokens need to be refused runs while the rest is prepared.
        var crowds = new EnumMap<DoorCase, List<Crowd.Member>>(DoorCase.class);
        long creating = System.nanoTime();
        for (var door : DoorCase.values()) {
            crowds.put(door, admin.createCredentials(settings.users(), OpeningDoorSettings.PASSWORD,
                    (int) OpeningDoorSettings.TOKEN_LIFETIME.toSeconds(), door == DoorCase.REFRESH).stream()
                    .map(c -> new Crowd.Member(c.email(), c.token(), c.refreshToken())).toList());
        }
        // exp is in whole seconds, rounded down: every token is refused from here on
        var refusedFrom = Instant.now().plus(OpeningDoorSettings.TOKEN_LIFETIME).plus(OpeningDoorSettings.EXP_SKEW);
        say("two crowds of %,d accounts in %.1f s (one with sessions); their tokens are refused from %s".formatted(
                settings.users(), (System.nanoTime() - creating) / 1e9, CLOCK.format(refusedFrom)));

        warmUp(targets, admin);

        var db = new CouponDatabase(mariadb.jdbcUrl(), "root", "");
        for (var door : DoorCase.values()) {
            var opening = later(refusedFrom.plus(EXPIRED_BEFORE), Instant.now().plus(OPENS_IN)).truncatedTo(ChronoUnit.MILLIS);
            if (door == DoorCase.values()[0]) {
                expired = "%.1f s before the first opening".formatted(Duration.between(refusedFrom, opening).toMillis() / 1000.0);
            }
            cases.add(measure(door, crowds.get(door), opening, targets, admin, counters, db, directory));
        }
    }

    private CaseResult measure(DoorCase door, List<Crowd.Member> members, Instant opening, List<URI> targets,
            ServiceClient admin, List<ServiceClient> counters, CouponDatabase db, Path directory) throws Exception {
        long coupon = admin.createCoupon("opening-door " + door.id(), settings.strategy(), settings.stock(), 1, opening,
                opening.plus(1, ChronoUnit.DAYS));
        double hashesBefore = sum(counters, Metrics.HASHES);
        double shedBefore = sum(counters, Metrics.SHED);
        say("%s: %,d members, coupon %d (%,d copies) opens at %s, in %.1f s".formatted(door.title(), members.size(),
                coupon, settings.stock(), CLOCK.format(opening), Duration.between(Instant.now(), opening).toMillis() / 1000.0));
        var crowd = new Crowd(targets, coupon, door, members, settings.launchWindow(), settings.patience());
        long wait = Duration.between(Instant.now(), opening.minus(CONNECT_AHEAD)).toMillis();
        if (wait > 0) {
            Thread.sleep(wait); // the tokens' expiry: waiting for a time is the point
        }
        crowd.connect();
        if (Instant.now().isAfter(opening)) {
            notes.add(door.title() + ": the crowd's connections were not ready at the opening; its first presses were late");
            say("WARNING: " + notes.getLast());
        }
        var journeys = crowd.run(opening);
        double hashesAfter = sum(counters, Metrics.HASHES);
        double shedAfter = sum(counters, Metrics.SHED);
        db.awaitStill(coupon, STABLE_FOR, SETTLE_LIMIT);
        var facts = db.read(coupon);
        var verdict = IntegrityVerdict.evaluate(false, facts,
                ServiceClient.patiently(() -> admin.audit(coupon), "the audit endpoint", OpeningDoorRunner::say),
                CaseResult.pressAnswers(journeys));
        var violations = new ArrayList<String>();
        verdict.broken().forEach(check -> violations.add("%s %s (%s)".formatted(check.id(), check.rule(), check.detail())));
        violations.addAll(CaseResult.strandedStock(journeys, facts.remaining()));
        var result = new CaseResult(door, coupon, settings.stock(), journeys, difference(hashesBefore, hashesAfter),
                difference(shedBefore, shedAfter), violations);
        writeSteps(directory.resolve("answers").resolve("opening-door-" + door.id() + ".csv"), journeys);
        say("%s: all in %s; %,d requests; %s BCrypt hashes, %s turned away; outcomes %s; %s".formatted(door.title(),
                OpeningDoorReport.allIn(result), result.requests(), result.hashes(), result.shed(), result.outcomes(),
                result.exact() ? "exact" : "INTEGRITY: " + String.join("; ", violations)));
        return result;
    }

    /**
     * Unreported: the JIT's first pass over the refresh, login and issue paths (and the password line's
     * measure of a hash) is not what a sale meets on a running service. Tokens with a broken signature
     * stand in for expired ones: refused after the same signature check.
     */
    private void warmUp(List<URI> targets, ServiceClient admin) throws Exception {
        int count = settings.warmupUsers();
        if (count < 2) {
            return;
        }
        var accounts = admin.createCredentials(count, OpeningDoorSettings.PASSWORD, 3_600, true);
        long coupon = admin.createCoupon("opening-door warm-up", settings.strategy(), count, 1, Instant.now());
        var members = accounts.stream().map(c -> new Crowd.Member(c.email(), spoiled(c.token()), c.refreshToken())).toList();
        long warming = System.nanoTime();
        for (var door : DoorCase.values()) {
            var half = door == DoorCase.REFRESH ? members.subList(0, count / 2) : members.subList(count / 2, count);
            var crowd = new Crowd(targets, coupon, door, half, Duration.ofSeconds(1), settings.patience());
            crowd.connect();
            crowd.run(Instant.now().plusMillis(100));
        }
        say("warmed up (%,d members, half refreshing, half logging in; not reported) in %.1f s".formatted(count,
                (System.nanoTime() - warming) / 1e9));
    }

    /** A token whose signature no longer matches: one character of the signature changed. */
    static String spoiled(String token) {
        int at = token.length() - 10; // inside the signature, away from the last character's padding bits
        char changed = token.charAt(at) == 'A' ? 'B' : 'A';
        return token.substring(0, at) + changed + token.substring(at + 1);
    }

    private static double sum(List<ServiceClient> counters, String metric) {
        double sum = 0;
        for (var counter : counters) {
            try {
                double value = Metrics.sum(counter.prometheusText(), metric);
                if (value < 0) {
                    return -1;
                }
                sum += value;
            } catch (IOException | InterruptedException e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                say("could not read " + metric + ": " + e.getMessage());
                return -1;
            }
        }
        return sum;
    }

    private static long difference(double before, double after) {
        return before < 0 || after < 0 ? -1 : Math.round(after - before);
    }

    private static void writeSteps(Path file, List<Journey> journeys) {
        var lines = new ArrayList<String>();
        lines.add("member,request,sent_ms,answered_ms,status,code,retry_after_s,user_coupon_id");
        for (var journey : journeys) {
            for (var step : journey.steps()) {
                lines.add("%d,%s,%d,%d,%d,%s,%d,%s".formatted(journey.member(), step.kind().label(), step.sentMillis(),
                        step.answeredMillis(), step.status(), step.code(), step.retryAfterSeconds(),
                        step.userCouponId() == Step.NONE ? "" : Long.toString(step.userCouponId())));
            }
        }
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, lines);
        } catch (IOException e) {
            say("could not write " + file + ": " + e.getMessage());
        }
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
                System.err.println("[opening-door] could not stop " + next + ": " + e.getMessage());
            }
        }
    }

    private static void say(String message) {
        System.out.println("[opening-door] " + message);
        System.out.flush();
    }
}
