package io.couponrush.loadtest.room;

import io.couponrush.loadtest.cluster.HarnessRun;
import com.fasterxml.jackson.databind.JsonNode;
import io.couponrush.loadtest.JsonIds;
import io.couponrush.loadtest.ServiceClient;
import io.couponrush.loadtest.cluster.ConnectionPool;
import io.couponrush.loadtest.cluster.LocalStack;
import io.couponrush.loadtest.integrity.CouponDatabase;
import io.couponrush.loadtest.integrity.IntegrityVerdict;
import io.couponrush.loadtest.report.Machine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * {@code -Dbench.scenario=waiting-room}: the same crowd on a coupon of few copies with the room off, a fifo
 * room and a raffle room. Reported per case: the requests the crowd sent and their latencies, the 5xx, the
 * line's admissions against the rate, each person's final answer against the wait it was announced, the order
 * of admission (the raffle's against its revealed draw, recomputed here), and the coupon's integrity. Fails
 * only on integrity, a 5xx, admissions above the rate, or when the run could not be made.
 */
public final class WaitingRoomRunner {

    public static final String SCENARIO = RoomSettings.SCENARIO;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    /** A coupon is created at least this long before it opens (the service looks for coupons opening within 10 s). */
    private static final Duration OPENS_IN = Duration.ofSeconds(6);
    /** From the coupon's creation to the line's opening, and from there to the first join. */
    private static final Duration LINE_OPENS_IN = Duration.ofSeconds(1);
    private static final Duration FIRST_JOIN_AFTER = Duration.ofMillis(500);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration SETTLE_LIMIT = Duration.ofSeconds(30);
    private static final Duration STABLE_FOR = Duration.ofSeconds(1);

    private final RoomSettings settings;
    private final LocalStack stack = new LocalStack();
    private final List<RoomResult> cases = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private String setup = "not started";

    private WaitingRoomRunner(RoomSettings settings) {
        this.settings = settings;
    }

    public static int run(Properties properties) {
        RoomSettings settings;
        try {
            settings = RoomSettings.from(properties);
        } catch (IllegalArgumentException e) {
            System.err.println("[waiting-room] " + e.getMessage());
            return 2;
        }
        return new WaitingRoomRunner(settings).execute();
    }

    private int execute() {
        var run = HarnessRun.run("waiting-room", settings.results(), stack::close, problems, this::runAll);
        var report = WaitingRoomReport.render(settings, Machine.detect().describe(), setup, cases, notes, problems);
        return run.finish(report, !problems.isEmpty() || cases.stream().anyMatch(c -> !c.failures().isEmpty()));
    }

    private void runAll(Path directory) throws Exception {
        say("starting MariaDB, Redis and %d service instance(s)".formatted(settings.instances()));
        stack.start(new LocalStack.Spec(settings.servers(), settings.jar(), settings.serviceJvmArgs(), List.of(),
                settings.instances(), settings.startTimeout(), directory));
        setup = stack.describe();
        var admin = new ServiceClient(stack.uris().getFirst());
        admin.loginAdmin();
        long creating = System.nanoTime();
        var people = admin.createAccounts(settings.users()).stream().map(a -> new Crowd.Person(a.id(), a.token())).toList();
        var warmers = admin.createAccounts(settings.warmupUsers()).stream().map(a -> new Crowd.Person(a.id(), a.token())).toList();
        say("%,d accounts (and %,d for the warm-up) in %.1f s".formatted(people.size(), warmers.size(),
                (System.nanoTime() - creating) / 1e9));
        var pools = new ArrayList<ConnectionPool>();
        try {
            for (var uri : stack.uris()) {
                var pool = new ConnectionPool(uri, settings.connections(), READ_TIMEOUT);
                pools.add(pool);
                pool.warm();
            }
            var db = new CouponDatabase(stack.jdbcUrl(), "root", "");
            warmUp(pools, admin, warmers, db);
            for (var roomCase : settings.cases()) {
                cases.add(measure(roomCase, people, pools, admin, db, directory, true));
            }
        } finally {
            pools.forEach(ConnectionPool::close);
        }
    }

    /**
     * Unreported: the JIT's first pass over the issue path and the line's (join, look, admit, press) is not what
     * a sale meets on a running service.
     */
    private void warmUp(List<ConnectionPool> pools, ServiceClient admin, List<Crowd.Person> warmers, CouponDatabase db)
            throws Exception {
        if (warmers.isEmpty()) {
            return;
        }
        long warming = System.nanoTime();
        measure(RoomCase.OFF, warmers, pools, admin, db, null, false);
        measure(RoomCase.FIFO, warmers, pools, admin, db, null, false);
        say("warmed up (%,d people, room off then a fifo room; not reported) in %.1f s".formatted(warmers.size(),
                (System.nanoTime() - warming) / 1e9));
    }

    private RoomResult measure(RoomCase roomCase, List<Crowd.Person> people, List<ConnectionPool> pools, ServiceClient admin,
            CouponDatabase db, Path directory, boolean reported) throws Exception {
        int stock = reported ? settings.stock() : Math.max(1, people.size() / 10);
        double rate = reported ? settings.admitPerSecond() : Math.max(1, stock / 2.0);
        var window = reported ? settings.joinWindow() : Duration.ofSeconds(1);
        var now = Instant.now();
        var lineOpens = now.plus(LINE_OPENS_IN).truncatedTo(ChronoUnit.MILLIS);
        var firstJoin = lineOpens.plus(FIRST_JOIN_AFTER);
        var opening = (roomCase.room() ? later(firstJoin.plus(window).plus(RoomSettings.LEAD), now.plus(OPENS_IN))
                : now.plus(OPENS_IN)).truncatedTo(ChronoUnit.MILLIS);
        var body = new LinkedHashMap<String, Object>();
        body.put("name", "waiting-room " + roomCase.id() + (reported ? "" : " warm-up"));
        body.put("description", "created by the couponrush bench runner");
        body.put("discountAmount", 1000);
        body.put("totalQuantity", stock);
        body.put("perUserLimit", 1);
        body.put("issueStartsAt", opening.toString());
        body.put("issueEndsAt", opening.plus(1, ChronoUnit.DAYS).toString());
        body.put("strategy", settings.strategy());
        if (roomCase.room()) {
            body.put("waitingRoom", Map.of("mode", roomCase.mode(), "lineOpensAt", lineOpens.toString(),
                    "admitPerSecond", rate, "turnSeconds", RoomSettings.TURN_SECONDS));
        }
        var created = admin.createCoupon(body);
        long coupon = JsonIds.of(created.path("id"), 0);
        var committedHash = created.path("waitingRoom").path("seedHash").asText("");
        int count = people.size();
        var dues = new long[count];
        long windowMillis = (roomCase.room() ? window : RoomSettings.PRESS_WINDOW).toMillis();
        long firstDue = roomCase.room() ? -Duration.between(firstJoin, opening).toMillis() : 0;
        for (int i = 0; i < count; i++) {
            dues[i] = firstDue + windowMillis * i / count;
        }
        if (reported) {
            say("%s: %,d people, coupon %d (%,d copies%s) opens at %s, in %.1f s".formatted(roomCase.title(), count, coupon,
                    stock, roomCase.room() ? ", %s admitted a second".formatted(WaitingRoomReport.decimal(rate)) : "",
                    CLOCK.format(opening), Duration.between(Instant.now(), opening).toMillis() / 1000.0));
        }
        var sampler = roomCase.room() ? new LineSampler(stack.uris(), coupon, opening) : null;
        if (sampler != null) {
            sampler.start();
        }
        var crowd = new Crowd(pools, coupon, roomCase.room(), people, reported ? settings.patience() : Duration.ofSeconds(60));
        var visits = crowd.run(opening, dues);
        var samples = sampler == null ? List.<LineSample>of() : sampler.stop();
        if (!reported) {
            return null;
        }
        db.awaitStill(coupon, STABLE_FOR, SETTLE_LIMIT);
        var facts = db.read(coupon);
        var auditJson = ServiceClient.patiently(() -> admin.auditJson(coupon), "the audit endpoint", WaitingRoomRunner::say);
        var auditReport = auditJson == null ? null : admin.audit(coupon);
        var violations = new ArrayList<String>();
        IntegrityVerdict.evaluate(false, facts, auditReport, RoomResult.pressAnswers(visits)).broken()
                .forEach(check -> violations.add("%s %s (%s)".formatted(check.id(), check.rule(), check.detail())));
        violations.addAll(RoomResult.strandedStock(visits, facts.remaining()));
        double outOfOrder = auditJson == null || !auditJson.path("arrivalOrder").path("outOfOrderPercent").isNumber()
                ? Double.NaN : auditJson.path("arrivalOrder").path("outOfOrderPercent").asDouble();

        Optional<Draw.Verdict> drawVerdict = Optional.empty();
        var orders = new ArrayList<RoomResult.OrderLine>();
        if (roomCase.room()) {
            var entries = QueueEntries.read(stack.jdbcUrl(), coupon);
            var admittedAt = QueueEntries.admittedAt(entries);
            orders.add(new RoomResult.OrderLine("the line's order", AdmissionOrder.check(QueueEntries.lineOrder(entries), admittedAt)));
            if (roomCase == RoomCase.FIFO) {
                var sendOrder = visits.stream().sorted(Comparator.comparingLong((Visit v) -> v.exchanges().getFirst().sentMillis())
                        .thenComparingInt(Visit::person)).map(Visit::userId).toList();
                orders.add(new RoomResult.OrderLine("the joins' send order", AdmissionOrder.check(sendOrder, admittedAt)));
            } else {
                var joinedBefore = entries.stream().filter(e -> e.joinedAt() < opening.toEpochMilli())
                        .map(QueueEntries.Entry::userId).collect(Collectors.toSet());
                var draw = draw(admin, coupon);
                if (draw == null) {
                    violations.add("the draw could not be read");
                } else {
                    var verdict = draw.check(committedHash, joinedBefore);
                    drawVerdict = Optional.of(verdict);
                    orders.add(new RoomResult.OrderLine("the draw", AdmissionOrder.check(verdict.recomputed(), admittedAt)));
                    var told = new HashMap<Long, Long>();
                    visits.stream().filter(v -> v.admittedAtMillis() > 0).forEach(v -> told.put(v.userId(), v.admittedAtMillis()));
                    orders.add(new RoomResult.OrderLine("the draw, as the people were told",
                            AdmissionOrder.check(verdict.recomputed(), told)));
                }
            }
            long late = visits.stream().filter(v -> v.exchanges().getFirst().sentMillis() >= 0).count();
            if (late > 0) {
                notes.add("%s: %,d joins went out after the opening (the launcher fell behind)".formatted(roomCase.title(), late));
            }
        }
        var result = new RoomResult(roomCase, coupon, stock, rate, settings.tolerance(), visits, samples, outOfOrder,
                drawVerdict, orders, violations);
        writeVisits(directory.resolve("answers").resolve("waiting-room-" + roomCase.id() + ".csv"), visits);
        writeSamples(directory.resolve("answers").resolve("waiting-room-" + roomCase.id() + "-line.csv"), samples);
        say("%s: %,d requests, %,d × 5xx; outcomes %s; %s".formatted(roomCase.title(), result.requests(),
                result.serverErrors(), result.outcomes(), result.failures().isEmpty() ? "passed" : "FAILED: " + result.failures()));
        return result;
    }

    private static Draw draw(ServiceClient client, long coupon) throws InterruptedException {
        try {
            var json = client.getPublic("/api/v1/coupons/" + coupon + "/queue/draw");
            return new Draw(coupon, json.path("seed").asText(null), json.path("seedHash").asText(""), ids(json.path("entrants")),
                    ids(json.path("order")));
        } catch (IOException e) {
            say("the draw could not be read: " + e.getMessage());
            return null;
        }
    }

    private static List<Long> ids(JsonNode array) {
        var out = new ArrayList<Long>();
        array.forEach(node -> out.add(JsonIds.of(node, -1)));
        return out;
    }

    private static void writeVisits(Path file, List<Visit> visits) {
        var lines = new ArrayList<String>();
        lines.add("person,user_id,request,sent_ms,answered_ms,status,code,state,retry_after_s,estimated_wait_s,admitted_at,user_coupon_id");
        for (var visit : visits) {
            for (var e : visit.exchanges()) {
                lines.add("%d,%d,%s,%d,%d,%d,%s,%s,%d,%d,%s,%s".formatted(visit.person(), visit.userId(), e.kind().label(),
                        e.sentMillis(), e.answeredMillis(), e.status(), e.code(), e.state() == null ? "" : e.state(),
                        e.retryAfterSeconds(), e.estimatedWaitSeconds(),
                        e.admittedAtMillis() < 0 ? "" : Instant.ofEpochMilli(e.admittedAtMillis()).toString(),
                        e.userCouponId() == Exchange.NONE ? "" : Long.toString(e.userCouponId())));
            }
        }
        write(file, lines);
    }

    private static void writeSamples(Path file, List<LineSample> samples) {
        if (samples.isEmpty()) {
            return;
        }
        var lines = new ArrayList<String>();
        lines.add("at_ms,waiting,admitted,in_turn,issued,copies_left");
        samples.forEach(s -> lines.add("%d,%d,%d,%d,%d,%d".formatted(s.atMillis(), s.waiting(), s.admitted(), s.inTurn(),
                s.issued(), s.copiesLeft())));
        write(file, lines);
    }

    private static void write(Path file, List<String> lines) {
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

    private static void say(String message) {
        System.out.println("[waiting-room] " + message);
        System.out.flush();
    }
}
