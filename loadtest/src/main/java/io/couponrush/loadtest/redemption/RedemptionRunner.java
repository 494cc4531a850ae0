package io.couponrush.loadtest.redemption;

import io.couponrush.loadtest.cluster.HarnessRun;
import com.fasterxml.jackson.databind.JsonNode;
import io.couponrush.loadtest.ServiceClient;
import io.couponrush.loadtest.cluster.ConnectionPool;
import io.couponrush.loadtest.cluster.LocalStack;
import io.couponrush.loadtest.report.Machine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * {@code -Dbench.scenario=redemption}: per strategy (naive, conditional) a storm of concurrent checkouts per copy
 * (reserve, confirm, cancels, double clicks) reporting throughput, latencies, answers and whether any copy was
 * spent twice (by the harness's ledger and by the audit's books); then an instance killed between reserve and
 * confirm, every copy checked to be in exactly one state. Fails only if the conditional strategy spends a copy
 * twice or its books do not balance, if the kill case finds a copy out of place, or when the run could not be made.
 */
public final class RedemptionRunner {

    public static final String SCENARIO = RedemptionSettings.SCENARIO;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    /** Fixture calls in flight at once while copies are issued. */
    private static final int ISSUING = 32;
    /** After the latest hold ends, this much more before the books are read. */
    private static final Duration PAST_THE_HOLD = Duration.ofSeconds(1);

    private final RedemptionSettings settings;
    private final LocalStack stack = new LocalStack();
    private final String secret = newSecret();
    private final List<StormResult> storms = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private KillCase kill;
    private String setup = "not started";

    private RedemptionRunner(RedemptionSettings settings) {
        this.settings = settings;
    }

    public static int run(Properties properties) {
        RedemptionSettings settings;
        try {
            settings = RedemptionSettings.from(properties);
        } catch (IllegalArgumentException e) {
            System.err.println("[redemption] " + e.getMessage());
            return 2;
        }
        return new RedemptionRunner(settings).execute();
    }

    private int execute() {
        var run = HarnessRun.run("redemption", settings.results(), stack::close, problems, this::runAll);
        if (settings.kill() && kill == null && problems.isEmpty()) {
            problems.add("the kill case did not run");
        }
        var report = RedemptionReport.render(settings, Machine.detect().describe(), setup, storms, kill, notes, problems);
        return run.finish(report, !problems.isEmpty() || storms.stream().anyMatch(StormResult::failsRun) || kill != null && !kill.exact());
    }

    private void runAll(Path directory) throws Exception {
        say("starting MariaDB, Redis and %d service instances (hold %d ms, order system %s)".formatted(settings.instances(),
                settings.hold().toMillis(), OrderSystem.CLIENT_ID));
        stack.start(new LocalStack.Spec(settings.servers(), settings.jar(), settings.serviceJvmArgs(),
                settings.serviceArgs(sha256(secret)), settings.instances(), settings.startTimeout(), directory));
        setup = stack.describe() + "; `" + String.join(" ", settings.serviceArgs("<sha256 of a secret made for the run>")) + "`";
        var admin = new ServiceClient(stack.uris().getFirst());
        admin.loginAdmin();
        var pools = new ArrayList<ConnectionPool>();
        try {
            for (var uri : stack.uris()) {
                var pool = new ConnectionPool(uri, settings.connections(), READ_TIMEOUT);
                pools.add(pool);
                pool.warm();
            }
            if (settings.storm()) {
                warmUp(admin, pools);
                for (var strategy : settings.strategies()) {
                    storms.add(storm(strategy, admin, pools, directory));
                }
            }
            if (settings.kill()) {
                kill = killBetweenReserveAndConfirm(admin, pools, directory);
            }
        } finally {
            pools.forEach(ConnectionPool::close);
        }
    }

    /** Unreported: a small storm per strategy, so the first one measured does not pay for the JIT's first pass. */
    private void warmUp(ServiceClient admin, List<ConnectionPool> pools) throws Exception {
        long warming = System.nanoTime();
        int copies = settings.smoke() ? 20 : 100;
        for (var strategy : settings.strategies()) {
            var spent = copies(admin, "redemption warm-up " + strategy, copies).copies();
            new Storm(pools.size(), settings.concurrency()).run(new OrderSystem(pools, secret, strategy, System.nanoTime()),
                    spent, "warm-" + strategy, settings.seed() + 1);
        }
        say("warmed up (%,d copies per strategy; not reported) in %.1f s".formatted(copies, (System.nanoTime() - warming) / 1e9));
    }

    private StormResult storm(String strategy, ServiceClient admin, List<ConnectionPool> pools, Path directory) throws Exception {
        var spendable = copies(admin, "redemption storm " + strategy, settings.copies());
        var copies = spendable.copies();
        long coupon = spendable.couponId();
        say("%s: %,d copies issued (coupon %d); the storm begins".formatted(strategy, copies.size(), coupon));
        var ledger = new Storm(pools.size(), settings.concurrency())
                .run(new OrderSystem(pools, secret, strategy, System.nanoTime()), copies, strategy, settings.seed());
        var books = books(admin, coupon);
        long disagreements = ledger.disagreements(Rows.usedBy(stack.jdbcUrl(), coupon));
        var result = new StormResult(strategy, coupon, copies.size(), ledger, books, disagreements);
        writeCalls(directory.resolve("answers").resolve("redemption-" + strategy + ".csv"), ledger.calls());
        say("%s: %,d requests, %.1f req/s; spent twice %,d (ledger), %s (audit); books %s; %s".formatted(strategy,
                result.requests(), result.throughput(), ledger.spentTwice(), books == null ? "?" : books.usedTwice(),
                books == null ? "?" : books.describe(), result.violations().isEmpty() ? "clean" : result.violations()));
        return result;
    }

    private KillCase killBetweenReserveAndConfirm(ServiceClient admin, List<ConnectionPool> pools, Path directory) throws Exception {
        var survivor = new ServiceClient(stack.uris().get(1));
        survivor.loginAdmin();
        var spendable = copies(admin, "redemption kill", settings.faultCopies());
        var copies = spendable.copies();
        long coupon = spendable.couponId();
        var victim = stack.cluster().instance(0);
        long originNanos = System.nanoTime();
        long originEpoch = System.currentTimeMillis();
        var orders = new OrderSystem(pools, secret, null, originNanos);
        var steps = new ArrayList<KillCase.Step>();
        var calls = new ArrayList<Call>();

        say("kill: %,d copies (coupon %d) reserved through instance A (pid %d)".formatted(copies.size(), coupon, victim.pid()));
        var reserves = all(copies.stream().<Callable<Call>>map(c -> () -> orders.reserve(0, c.id(), c.userId(), "kill-" + c.id())).toList());
        calls.addAll(reserves);
        steps.add(KillCase.reserved(reserves, copies.size()));
        victim.kill(); // kill -9 of the process the harness started, by its pid
        say("kill: instance A killed with SIGKILL; confirming, cancelling and leaving thirds through instance B");

        var holdUntil = new HashMap<Long, Long>();
        reserves.stream().filter(Call::ok).forEach(c -> holdUntil.put(c.copy(), c.holdUntil()));
        int third = copies.size() / 3;
        var toConfirm = copies.subList(0, third);
        var toCancel = copies.subList(third, 2 * third);
        var tasks = new ArrayList<Callable<Call>>();
        toConfirm.forEach(c -> tasks.add(() -> orders.confirm(1, c.id(), "kill-" + c.id())));
        toCancel.forEach(c -> tasks.add(() -> orders.cancel(1, c.id(), "kill-" + c.id())));
        var answers = all(tasks);
        calls.addAll(answers);
        var confirms = answers.subList(0, toConfirm.size());
        var cancels = answers.subList(toConfirm.size(), answers.size());
        steps.add(KillCase.confirmed(confirms, holdUntil, originEpoch));
        steps.add(KillCase.cancelled(cancels));
        var confirmed = new HashMap<Long, String>();
        confirms.stream().filter(Call::ok).forEach(c -> confirmed.put(c.copy(), c.orderId()));
        int left = copies.size() - toConfirm.size() - toCancel.size();
        steps.add(new KillCase.Step("leave %,d of them".formatted(left), "–", "left", true));
        steps.add(KillCase.meanwhile(books(survivor, coupon), copies.size(), confirmed.size()));

        long latest = holdUntil.values().stream().mapToLong(Long::longValue).max().orElse(System.currentTimeMillis());
        long wait = Math.max(0, latest + PAST_THE_HOLD.toMillis() - System.currentTimeMillis());
        say("kill: waiting %.1f s for the last hold to lapse".formatted(wait / 1000.0));
        Thread.sleep(wait); // real time past the hold: the hold is a time, read by every use
        steps.add(KillCase.afterLapse(books(survivor, coupon), copies.size(), confirmed.size()));
        steps.add(KillCase.rows(Rows.usedBy(stack.jdbcUrl(), coupon), confirmed));
        var again = all(copies.stream().<Callable<Call>>map(c -> () -> orders.reserve(1, c.id(), c.userId(), "again-" + c.id())).toList());
        calls.addAll(again);
        steps.add(KillCase.reservedAgain(again, confirmed.keySet()));
        steps.add(KillCase.finalBooks(books(survivor, coupon), copies.size(), confirmed.size()));
        writeCalls(directory.resolve("answers").resolve("redemption-kill.csv"), calls);
        var result = new KillCase(coupon, copies.size(), victim.pid(), wait, steps);
        say("kill: " + (result.exact() ? "every copy in exactly one state" : "BROKEN: " + result.broken()));
        return result;
    }

    /** A coupon and its copies, each issued to a user of its own. */
    private record Spendable(long couponId, List<Storm.Copy> copies) {
    }

    /** A coupon of {@code count} copies, one issued to each of {@code count} new fixture users. */
    private static Spendable copies(ServiceClient admin, String name, int count) throws Exception {
        long coupon = admin.createCoupon(name, "atomic", count, 1, Instant.now());
        var accounts = admin.createAccounts(count);
        var slots = new Semaphore(ISSUING);
        var issued = new ArrayList<Future<Storm.Copy>>(count);
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (var account : accounts) {
                issued.add(executor.submit(() -> {
                    slots.acquire();
                    try {
                        return new Storm.Copy(admin.issue(coupon, account.token()), account.id());
                    } finally {
                        slots.release();
                    }
                }));
            }
        }
        var copies = new ArrayList<Storm.Copy>(count);
        for (var future : issued) {
            copies.add(future.get());
        }
        return new Spendable(coupon, List.copyOf(copies));
    }

    /** Runs every call at once (the pools bound how many are on the wire) and answers them in the tasks' order. */
    private static List<Call> all(List<Callable<Call>> tasks) throws Exception {
        var futures = new ArrayList<Future<Call>>(tasks.size());
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            tasks.forEach(task -> futures.add(executor.submit(task)));
        }
        var calls = new ArrayList<Call>(tasks.size());
        for (var future : futures) {
            calls.add(future.get());
        }
        return calls;
    }

    /** The audit's books of the coupon, through {@code client}; {@code null} when the audit never answered. */
    private static Books books(ServiceClient client, long coupon) throws InterruptedException {
        return Books.of(ServiceClient.patiently(() -> client.auditJson(coupon), "the audit endpoint", RedemptionRunner::say));
    }

    private static void writeCalls(Path file, List<Call> calls) {
        var lines = new ArrayList<String>();
        lines.add("user_coupon_id,order_id,request,instance,sent_ms,answered_ms,status,code,state,hold_until");
        calls.forEach(c -> lines.add("%d,%s,%s,%d,%d,%d,%d,%s,%s,%s".formatted(c.copy(), c.orderId(), c.op().label(), c.instance(),
                c.sentMillis(), c.answeredMillis(), c.status(), c.code(), c.state() == null ? "" : c.state(),
                c.holdUntil() < 0 ? "" : Instant.ofEpochMilli(c.holdUntil()).toString())));
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, lines);
        } catch (IOException e) {
            say("could not write " + file + ": " + e.getMessage());
        }
    }

    private static String newSecret() {
        var bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void say(String message) {
        System.out.println("[redemption] " + message);
        System.out.flush();
    }
}
