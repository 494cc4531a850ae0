package io.couponrush.loadtest;

import io.couponrush.loadtest.cluster.CpuPinning;
import io.couponrush.loadtest.costs.CostsFile;
import io.couponrush.loadtest.costs.Tier;
import io.couponrush.loadtest.costs.TierCost;
import io.couponrush.loadtest.costs.TierMeter;
import io.couponrush.loadtest.costs.Tiers;
import io.couponrush.loadtest.door.OpeningDoorRunner;
import io.couponrush.loadtest.faults.FaultRunner;
import io.couponrush.loadtest.faults.ServiceCluster;
import io.couponrush.loadtest.faults.StaggeredOpenRunner;
import io.couponrush.loadtest.integrity.AuditReport;
import io.couponrush.loadtest.redemption.RedemptionRunner;
import io.couponrush.loadtest.room.WaitingRoomRunner;
import io.couponrush.loadtest.integrity.CouponDatabase;
import io.couponrush.loadtest.integrity.IntegrityVerdict;
import io.couponrush.loadtest.report.BenchReport;
import io.couponrush.loadtest.report.ComparisonChart;
import io.couponrush.loadtest.report.Machine;
import io.couponrush.loadtest.report.RunStats;
import io.couponrush.loadtest.report.ScenarioResult;
import io.couponrush.loadtest.report.StrategyResult;
import io.couponrush.loadtest.report.SummaryMarkdown;
import io.couponrush.loadtest.report.WrkRow;
import io.couponrush.loadtest.simulation.Answer;
import io.couponrush.loadtest.simulation.Scenario;
import io.couponrush.loadtest.wrk.Wrk;
import io.couponrush.loadtest.wrk.WrkResult;
import io.couponrush.loadtest.simulation.SaturationSimulation;
import io.couponrush.loadtest.simulation.Shape;
import io.couponrush.loadtest.simulation.SimulationSettings;
import io.couponrush.loadtest.simulation.Target;
import io.couponrush.loadtest.simulation.TokenMode;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The bench command: builds nothing itself (Maven's {@code -am} packaged the service), starts the
 * service jar, prepares accounts, measures the trivial endpoint, runs each scenario against each
 * strategy on a fresh coupon, audits every run, writes {@code loadtest/results/<timestamp>/} and
 * exits non-zero when a correct strategy broke an invariant or a run could not be completed.
 */
public final class BenchRunner {

    private static final int WARMUP_USERS = 50;
    private static final int AUDIT_ATTEMPTS = 5;
    private static final String JWT_SECRET = "COUPONRUSH_JWT_SECRET";

    private static final DateTimeFormatter FOLDER = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    private final BenchSettings settings;
    private final Wrk wrk;
    private final Path directory;
    private final Instant startedAt = Instant.now();
    private final List<ScenarioResult> results = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private String serviceDescription = "not started";
    private final String loadAtStart = TierMeter.loadAverage();
    private final List<TierCost> costs = new ArrayList<>();
    private TierMeter meter;
    private String meterDescription;
    private String pinned = "";
    private TierCost background;

    BenchRunner(BenchSettings settings) {
        this.settings = settings;
        this.wrk = Wrk.from(System.getProperties(), settings.smoke());
        this.directory = settings.resultsRoot().resolve(FOLDER.format(startedAt));
    }

    public static void main(String[] args) {
        int exit;
        try {
            var scenario = System.getProperty("bench.scenario", "").trim();
            if (StaggeredOpenRunner.SCENARIO.equals(scenario)) {
                System.exit(StaggeredOpenRunner.run(System.getProperties())); // servers of its own, like faults
            }
            if (OpeningDoorRunner.SCENARIO.equals(scenario)) {
                System.exit(OpeningDoorRunner.run(System.getProperties())); // likewise
            }
            if (WaitingRoomRunner.SCENARIO.equals(scenario)) {
                System.exit(WaitingRoomRunner.run(System.getProperties())); // likewise
            }
            if (RedemptionRunner.SCENARIO.equals(scenario)) {
                System.exit(RedemptionRunner.run(System.getProperties())); // likewise
            }
            var settings = BenchSettings.from(System.getProperties(), System.getenv());
            exit = settings.faults().isPresent() ? FaultRunner.run(settings) : new BenchRunner(settings).run();
        } catch (IllegalArgumentException e) {
            System.err.println("[bench] " + e.getMessage());
            exit = 2;
        }
        System.exit(exit);
    }

    int run() {
        say("scenarios: %s; strategies: %s; %s; results: %s".formatted(
                settings.plans().stream().map(Plan::title).toList(), settings.strategies(),
                settings.instances() == 1 ? "one service instance"
                        : settings.instances() + " service instances behind HAProxy", directory));
        try {
            Files.createDirectories(directory);
            benchmark();
        } catch (Exception e) {
            problems.add(e.getClass().getSimpleName() + ": " + e.getMessage());
            System.err.println("[bench] " + e.getMessage());
        }
        var report = new BenchReport(startedAt, Instant.now(), Machine.detect(), settings.command(),
                serviceDescription + pinned, List.copyOf(results), List.copyOf(problems),
                "%s at the start, %s at the end".formatted(loadAtStart, TierMeter.loadAverage()), meterDescription,
                background);
        var summary = SummaryMarkdown.render(report, directory);
        try {
            Files.writeString(directory.resolve("summary.md"), summary);
            if (!costs.isEmpty()) {
                new CostsFile(startedAt, report.machine().cpu(), report.machine().cores(), settings.command(),
                        serviceDescription + pinned, background, costs).write(directory.resolve("costs.json"));
            }
            Files.writeString(directory.resolve("chart.html"), ComparisonChart.html(report.scenarios()));
            for (var scenario : report.scenarios()) {
                Files.writeString(directory.resolve("chart-" + scenario.plan().scenario().id() + ".svg"),
                        ComparisonChart.svg(scenario));
            }
        } catch (IOException e) {
            System.err.println("[bench] could not write the report: " + e.getMessage());
        }
        System.out.println();
        System.out.println(summary);
        say("summary: " + directory.resolve("summary.md"));
        say("chart:   " + directory.resolve("chart.html"));
        say(report.failed() ? "FAILED" : "OK");
        return report.failed() ? 1 : 0;
    }

    private void benchmark() throws Exception {
        int port = ServiceProcess.freePort();
        var appArgs = new ArrayList<>(List.of("--spring.profiles.active=loadtest", "--server.port=" + port));
        if (settings.strategies().contains(BenchSettings.UNSAFE_STRATEGY)) {
            appArgs.add("--couponrush.issuance.allow-unsafe=true");
        }
        var database = settings.database();
        var redis = "Redis at " + System.getenv("SPRING_DATA_REDIS_HOST") + ":"
                + Optional.ofNullable(System.getenv("SPRING_DATA_REDIS_PORT")).orElse("6379");
        var env = new java.util.HashMap<String, String>();
        env.put(ServiceClient.FIXTURE_SECRET_ENV, ServiceClient.FIXTURE_SECRET); // the fixtures ask for it
        var secretNote = "";
        if (!database.embedded() && Optional.ofNullable(System.getenv(JWT_SECRET)).orElse("").isBlank()) {
            // Against real servers the service insists on a secret of its own; this instance only
            // verifies tokens it minted itself, so a random one for the run is exactly right.
            var bytes = new byte[36];
            new SecureRandom().nextBytes(bytes);
            env.put(JWT_SECRET, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
            secretNote = ", a JWT secret generated for this run";
        }
        if (!database.embedded() && Optional.ofNullable(System.getenv("COUPONRUSH_NODE_ID")).orElse("").isBlank()) {
            env.put("COUPONRUSH_NODE_ID", "1"); // one instance: any id is distinct; real servers require one
        }
        if (settings.instances() > 1 || database.embedded()) {
            // The service jar carries no database (the embedded stack is the development run's): the
            // harness starts the machine's MariaDB and Redis itself, with HAProxy in front of several instances.
            balanced(appArgs, env);
            return;
        }
        var db = new CouponDatabase(database.url(), database.user(), database.password());
        serviceDescription = "`%s` on port %d, %s %s, %s".formatted(
                settings.serviceJar().startsWith(settings.root())
                        ? settings.root().relativize(settings.serviceJar()) : settings.serviceJar(), port,
                "MariaDB/MySQL from the environment at",
                db.url(), redis) + secretNote;

        say("starting the service: " + String.join(" ", appArgs));
        appArgs.addAll(ServiceCluster.UNLIMITED_ISSUES);
        try (var service = ServiceProcess.start(settings.serviceJar(), settings.serviceJvmArgs(), appArgs, env, port,
                directory.resolve("service.log"))) {
            Runtime.getRuntime().addShutdownHook(new Thread(service::close, "stop-service"));
            long starting = System.nanoTime();
            service.awaitHealthy(settings.startTimeout());
            say("service healthy after %d s (pid %d, log %s)".formatted(
                    Duration.ofNanos(System.nanoTime() - starting).toSeconds(), service.pid(), service.log()));
            exercise(service, db);
        }
        say("service stopped");
    }

    /**
     * The harness's own MariaDB and Redis, and {@code bench.instances} service processes on them (above
     * 1, behind HAProxy): the instances get the options and environment a single instance started
     * against servers from the environment would have had (but their own servers, secret and node ids),
     * and everything, load, fixtures and the audit endpoint, goes through the front; the harness reads
     * the rows directly.
     */
    private void balanced(List<String> appArgs, Map<String, String> env) throws Exception {
        // ServiceCluster sets the port, the profile and the issue limits itself
        var shared = appArgs.stream().filter(arg -> !arg.startsWith("--server.port=")
                && !arg.startsWith("--spring.profiles.active=")).toList();
        var sharedEnv = new HashMap<>(env);
        sharedEnv.remove(JWT_SECRET);
        sharedEnv.remove("COUPONRUSH_NODE_ID");
        serviceDescription = (settings.instances() == 1 ? "one instance (not started)"
                : "%d instances behind HAProxy (not started)".formatted(settings.instances()));
        try (var cluster = new LoadBalancedCluster(settings, directory, shared, sharedEnv)) {
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "stop-instances"));
            cluster.start();
            serviceDescription = cluster.describe();
            try {
                exercise(cluster, new CouponDatabase(cluster.jdbcUrl(), "root", ""));
            } finally {
                serviceDescription = cluster.describe();
            }
        }
        say(settings.instances() == 1 ? "the instance, MariaDB and Redis stopped" : "HAProxy, the instances, MariaDB and Redis stopped");
    }

    private void exercise(ServiceUnderTest service, CouponDatabase db) throws Exception {
        var client = new ServiceClient(service.baseUri());
        client.loginAdmin();
        int accounts = settings.plans().stream().mapToInt(Plan::tokenCount).max().orElse(1);
        long preparing = System.nanoTime();
        var tokens = client.createUsers(accounts);
        var tokenFile = Files.createTempFile("couponrush-bench-tokens", ".txt");
        tokenFile.toFile().deleteOnExit();
        Files.write(tokenFile, tokens);
        say("%,d accounts with tokens ready in %d ms".formatted(accounts,
                Duration.ofNanos(System.nanoTime() - preparing).toMillis()));

        pin(service.tiers());
        warmUp(service, client, tokenFile, accounts);
        try (var opened = TierMeter.open(service.tiers())) {
            meter = opened;
            meterDescription = opened.describe();
            if (!settings.quiet().isZero()) {
                say("measuring the servers' background for %d s with no load (subtracted from every cost)".formatted(
                        settings.quiet().toSeconds()));
                opened.calibrate(settings.quiet());
            }
            try {
                for (var plan : settings.plans()) {
                    if (!service.alive()) {
                        throw new IOException(service.whyNotAlive());
                    }
                    results.add(plan.scenario() == Scenario.COSTS ? runCosts(plan, service, client, db, tokenFile)
                            : runScenario(plan, service, client, db, tokenFile));
                }
                if (!settings.quiet().isZero() && service.alive()) {
                    say("measuring the servers' background again for %d s (the quieter window counts)".formatted(
                            settings.quiet().toSeconds()));
                    opened.calibrate(settings.quiet());
                }
            } finally {
                // every cost was kept as measured; the background is known only now
                background = opened.background();
                costs.replaceAll(opened::net);
                results.replaceAll(result -> new ScenarioResult(result.plan(), result.ping(), result.pingReport(),
                        result.pingError(), result.strategies(), result.wrk(), result.wrkNote(),
                        result.costs().stream().map(opened::net).toList()));
                meter = null;
            }
        }
    }

    /** {@code bench.serviceCpus} / {@code bench.otherCpus}: each process kept to its CPUs before anything runs. */
    private void pin(Tiers tiers) throws IOException, InterruptedException {
        var notes = new ArrayList<String>();
        if (settings.serviceCpus().isPresent()) {
            for (long pid : tiers.pids().getOrDefault(Tier.SERVICE, List.of())) {
                CpuPinning.pin(pid, settings.serviceCpus().get());
            }
            notes.add("the instances on CPU " + settings.serviceCpus().get());
        }
        if (settings.otherCpus().isPresent()) {
            for (var tier : List.of(Tier.DATABASE, Tier.REDIS, Tier.PROXY, Tier.GENERATOR)) {
                for (long pid : tiers.pids().getOrDefault(tier, List.of())) {
                    CpuPinning.pin(pid, settings.otherCpus().get());
                }
            }
            notes.add("MariaDB, Redis, HAProxy and the generator on CPU " + settings.otherCpus().get());
        }
        if (!notes.isEmpty()) {
            pinned = "; pinned with `taskset`: " + String.join(", ", notes);
            say("pinned: " + String.join("; ", notes));
        }
    }

    /**
     * A cold JVM answers the first thousand requests several times slower than a warm one; the
     * first run measured (the trivial endpoint) would look slow and every ratio to it flattering.
     * So both the ping path and the issue path are driven first, and nothing of it is reported.
     */
    private void warmUp(ServiceUnderTest service, ServiceClient client, Path tokenFile, int accounts) throws Exception {
        if (settings.warmup().isZero()) {
            return;
        }
        var strategy = settings.strategies().stream()
                .filter(name -> !name.equals(BenchSettings.UNSAFE_STRATEGY)).findFirst()
                .orElse(settings.strategies().getFirst());
        say("warming up for %d s on ping (every account in turn), then %d s issuing with %s (not reported)".formatted(
                settings.warmup().toSeconds(), settings.warmup().toSeconds(), strategy));
        var shape = Shape.loop(WARMUP_USERS, Duration.ZERO, settings.warmup(), Duration.ZERO);
        var folder = directory.resolve("warmup");
        // every account in turn: the first request of an account costs its token's verification and its
        // account's read, and whichever row came first (the trivial endpoint's) would pay for all of them
        GatlingLauncher.run(SaturationSimulation.class, new SimulationSettings(service.baseUri().toString(),
                Target.PING, 0, tokenFile, accounts, TokenMode.DISTINCT, shape), folder, "warm-up / ping", false);
        long couponId = client.createCoupon("bench warm-up " + FOLDER.format(startedAt), strategy, 10_000_000, 0,
                Instant.now());
        GatlingLauncher.run(SaturationSimulation.class, new SimulationSettings(service.baseUri().toString(),
                Target.ISSUE, couponId, tokenFile, 1, TokenMode.SEED, shape), folder, "warm-up / issue", false);
        try (var files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }
    }

    private ScenarioResult runScenario(Plan plan, ServiceUnderTest service, ServiceClient client, CouponDatabase db,
                                       Path tokenFile) {
        say("== %s: %s; stock %,d; %s".formatted(plan.title(), plan.shape().describe(), plan.stock(),
                plan.describeMode()));
        RunStats ping = null;
        Path pingReport = null;
        String pingError = null;
        var tierCosts = new ArrayList<TierCost>();
        try {
            say("%s / ping: measuring the trivial endpoint with the same shape".formatted(plan.title()));
            var before = meter.snapshot();
            var outcome = GatlingLauncher.run(plan.scenario().simulation(),
                    simulation(plan, service, Target.PING, 0, tokenFile),
                    directory.resolve("gatling").resolve(plan.scenario().id() + "-ping"),
                    plan.title() + " / ping", true);
            tierCosts.add(meter.cost(plan.scenario().id(), "ping", "ping", before, meter.snapshot(),
                    outcome.answers().size(), 0));
            ping = RunStats.of(outcome.answers(), Optional.empty());
            pingReport = outcome.report();
            say("%s / ping: %s".formatted(plan.title(), line(ping)));
        } catch (Exception e) {
            pingError = e.getMessage();
            say("%s / ping FAILED: %s".formatted(plan.title(), pingError));
        }
        // the closed model is the one a native generator reproduces exactly; the others shape arrivals
        boolean crossCheck = plan.scenario() == Scenario.SATURATION;
        String wrkNote = null;
        var wrkRows = new ArrayList<WrkRow>();
        if (crossCheck) {
            var skip = wrk.skipReason();
            if (skip.isPresent()) {
                wrkNote = "wrk rows not measured: " + skip.get() + ".";
                crossCheck = false;
            } else {
                wrkNote = "`wrk -t%d -c%d -d%ds --timeout 10s`, every request with the next account's token (`loadtest/src/main/resources/wrk/rotate.lua`); each row right after the same row's Gatling run, a strategy on a fresh coupon of the same terms. Latency is from wrk's own histogram."
                        .formatted(Math.min(wrk.threads(), plan.shape().users()), plan.shape().users(), wrk.duration().toSeconds());
                wrkRows.add(wrkPing(plan, service, tokenFile));
            }
        }
        var strategies = new ArrayList<StrategyResult>();
        for (var strategy : settings.strategies()) {
            if (!service.alive()) {
                strategies.add(StrategyResult.failed(strategy, 0, "the service is no longer running"));
                continue;
            }
            var result = runStrategy(plan, strategy, service, client, db, tokenFile, tierCosts);
            say("%s / %s: %s%s".formatted(plan.title(), strategy,
                    result.stats() == null ? "" : line(result.stats()) + "; ", result.verdictLabel()));
            strategies.add(result);
            if (crossCheck && service.alive()) {
                wrkRows.add(wrkStrategy(plan, strategy, service, client, db, tokenFile));
            }
        }
        costs.addAll(tierCosts);
        return new ScenarioResult(plan, ping, pingReport, pingError, List.copyOf(strategies), List.copyOf(wrkRows),
                wrkNote, tierCosts);
    }

    /**
     * The {@code costs} scenario: the trivial endpoint, then per strategy the same burst twice, on a coupon
     * with a copy for every arrival ("grants") and on a coupon sold out before the burst ("refusals"), the
     * counters read around each, so that every row holds one kind of request. Each coupon is audited as
     * every run is.
     */
    private ScenarioResult runCosts(Plan plan, ServiceUnderTest service, ServiceClient client, CouponDatabase db,
                                    Path tokenFile) {
        int arrivals = plan.shape().users();
        say("== %s: %s; per strategy a grants phase (stock %,d) and a refusals phase (sold out before); %s".formatted(
                plan.title(), plan.shape().describe(), arrivals, plan.describeMode()));
        var tierCosts = new ArrayList<TierCost>();
        var strategies = new ArrayList<StrategyResult>();
        // The general warm-up drives one strategy; the JIT compiles each other path the first time it runs hot,
        // and that compiling would land in its first measured phase. A quarter-size round of every phase
        // first, audited like the rest and not measured.
        var warmUp = new Plan(plan.scenario(), plan.smoke(), plan.mode(), plan.stock(), plan.perUserLimit(),
                plan.users(), plan.shape().withUsers(Math.max(100, arrivals / 4)));
        costRound(warmUp, ", warm-up", service, client, db, tokenFile, strategies, new ArrayList<>());
        RunStats ping = null;
        String pingError = null;
        try {
            // A person's first request to an instance verifies its token and looks its account up; later ones
            // find both remembered (for a minute). The first press of a sale is mostly that: accounts made
            // just now, which no request has touched, measure it.
            var fresh = Files.createTempFile("couponrush-bench-fresh", ".txt");
            fresh.toFile().deleteOnExit();
            Files.write(fresh, client.createAccounts(arrivals).stream().map(ServiceClient.Account::token).toList());
            measurePing(plan, service, fresh, "first-touch", tierCosts);
            touch(plan, service, tokenFile);
            ping = measurePing(plan, service, tokenFile, "ping", tierCosts);
        } catch (Exception e) {
            pingError = e.getMessage();
            say("%s / ping FAILED: %s".formatted(plan.title(), pingError));
        }
        costRound(plan, "", service, client, db, tokenFile, strategies, tierCosts);
        costs.addAll(tierCosts);
        return new ScenarioResult(plan, ping, null, pingError, List.copyOf(strategies), List.of(), null, tierCosts);
    }

    private RunStats measurePing(Plan plan, ServiceUnderTest service, Path tokens, String phase,
                                 List<TierCost> tierCosts) throws IOException {
        var before = meter.snapshot();
        var outcome = GatlingLauncher.run(plan.scenario().simulation(), simulation(plan, service, Target.PING, 0, tokens),
                directory.resolve("gatling").resolve(plan.scenario().id() + "-ping-" + phase),
                plan.title() + " / ping (" + phase + ")", false);
        tierCosts.add(meter.cost(plan.scenario().id(), "ping", phase, before, meter.snapshot(),
                outcome.answers().size(), 0));
        var stats = RunStats.of(outcome.answers(), Optional.empty());
        say("%s / ping (%s): %s".formatted(plan.title(), phase, line(stats)));
        return stats;
    }

    /**
     * The trivial endpoint over the burst's accounts, not measured: the phase that follows then finds every
     * token and account remembered, as every other phase does, instead of paying for those unseen for a
     * minute.
     */
    private void touch(Plan plan, ServiceUnderTest service, Path tokenFile) throws IOException {
        GatlingLauncher.run(plan.scenario().simulation(), simulation(plan, service, Target.PING, 0, tokenFile),
                directory.resolve("touch"), plan.title() + " / touch", false);
    }

    private void costRound(Plan plan, String suffix, ServiceUnderTest service, ServiceClient client, CouponDatabase db,
                           Path tokenFile, List<StrategyResult> strategies, List<TierCost> tierCosts) {
        for (var strategy : settings.strategies()) {
            for (var phase : List.of("grants", "refusals")) {
                var label = strategy + " (" + phase + suffix + ")";
                if (!service.alive()) {
                    strategies.add(StrategyResult.failed(label, 0, "the service is no longer running"));
                    continue;
                }
                var result = costPhase(plan, strategy, phase, label, suffix.isEmpty(), service, client, db, tokenFile,
                        tierCosts);
                say("%s / %s: %s%s".formatted(plan.title(), label,
                        result.stats() == null ? "" : line(result.stats()) + "; ", result.verdictLabel()));
                strategies.add(result);
            }
        }
    }

    private StrategyResult costPhase(Plan plan, String strategy, String phase, String label, boolean measured,
                                     ServiceUnderTest service, ServiceClient client, CouponDatabase db, Path tokenFile,
                                     List<TierCost> tierCosts) {
        long couponId = 0;
        try {
            boolean grants = phase.equals("grants");
            int stock = grants ? plan.shape().users() : 1;
            couponId = client.createCoupon("bench costs %s %s".formatted(label, FOLDER.format(startedAt)),
                    strategy, stock, 1, Instant.now());
            var answers = new ArrayList<Answer>();
            if (!grants) {
                // the one copy goes to an account outside the burst, so every arrival hears "sold out" (a holder
                // in the burst would hear ALREADY_ISSUED instead); its answer counts in the audit, not in the costs
                var token = client.createAccounts(1).getFirst().token();
                long sent = System.currentTimeMillis();
                long granted = client.issue(couponId, token);
                long answered = System.currentTimeMillis();
                answers.add(new Answer(sent, answered, (int) (answered - sent), "201", granted));
            }
            say("%s / %s: coupon %d, stock %,d".formatted(plan.title(), label, couponId, stock));
            if (measured) {
                touch(plan, service, tokenFile);
            }
            var before = meter.snapshot();
            var outcome = GatlingLauncher.run(plan.scenario().simulation(),
                    simulation(plan, service, Target.ISSUE, couponId, tokenFile),
                    directory.resolve("gatling").resolve(plan.scenario().id() + "-" + strategy + "-" + phase), label,
                    false);
            tierCosts.add(meter.cost(plan.scenario().id(), strategy, phase, before, meter.snapshot(),
                    outcome.answers().size(), outcome.answers().stream().filter(Answer::granted).count()));
            answers.addAll(outcome.answers());
            settle(db, couponId);
            var facts = db.read(couponId);
            var audit = audit(client, couponId, plan.title() + " / " + label);
            var verdict = IntegrityVerdict.evaluate(false, facts, audit, answers);
            var stats = RunStats.of(outcome.answers(), grants ? Optional.of(stock) : Optional.empty());
            return new StrategyResult(label, couponId, stats, facts, audit, verdict, null, null);
        } catch (Exception e) {
            return StrategyResult.failed(label, couponId, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private WrkRow wrkPing(Plan plan, ServiceUnderTest service, Path tokenFile) {
        try {
            var result = wrk.run(service.baseUri(), plan.shape().users(), tokenFile, "/api/v1/loadtest/ping", "GET",
                    directory.resolve("wrk").resolve(plan.scenario().id() + "-ping.log"));
            say("%s / ping (wrk): %s".formatted(plan.title(), wrkLine(result)));
            return WrkRow.ping(result);
        } catch (Exception e) {
            say("%s / ping (wrk) FAILED: %s".formatted(plan.title(), e.getMessage()));
            return WrkRow.failed("ping", e.getMessage());
        }
    }

    private WrkRow wrkStrategy(Plan plan, String strategy, ServiceUnderTest service, ServiceClient client,
                               CouponDatabase db, Path tokenFile) {
        try {
            long couponId = client.createCoupon("bench %s %s wrk %s".formatted(plan.scenario().id(), strategy,
                    FOLDER.format(startedAt)), strategy, plan.stock(), plan.perUserLimit(), Instant.now());
            var result = wrk.run(service.baseUri(), plan.shape().users(), tokenFile,
                    "/api/v1/coupons/" + couponId + "/issue", "POST",
                    directory.resolve("wrk").resolve(plan.scenario().id() + "-" + strategy + ".log"));
            settle(db, couponId);
            var row = WrkRow.checked(strategy, result, db.read(couponId), plan.shape().users());
            say("%s / %s (wrk): %s; %s".formatted(plan.title(), strategy, wrkLine(result), row.integrity()));
            return row;
        } catch (Exception e) {
            say("%s / %s (wrk) FAILED: %s".formatted(plan.title(), strategy, e.getMessage()));
            return WrkRow.failed(strategy, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static String wrkLine(WrkResult result) {
        return "%,d requests, %,.1f req/s, p50 %.1f ms, p99 %.1f ms, max %.1f ms, %,d timeouts, %s".formatted(
                result.requests(), result.throughput(), result.p50() / 1000.0, result.p99() / 1000.0,
                result.max() / 1000.0, result.timeouts(), result.codes());
    }

    private StrategyResult runStrategy(Plan plan, String strategy, ServiceUnderTest service, ServiceClient client,
                                       CouponDatabase db, Path tokenFile, List<TierCost> tierCosts) {
        long couponId = 0;
        try {
            couponId = client.createCoupon("bench %s %s %s".formatted(plan.scenario().id(), strategy,
                    FOLDER.format(startedAt)), strategy, plan.stock(), plan.perUserLimit(), Instant.now());
            say("%s / %s: coupon %d, stock %,d, per-user limit %d".formatted(plan.title(), strategy, couponId,
                    plan.stock(), plan.perUserLimit()));
            var before = meter.snapshot();
            var outcome = GatlingLauncher.run(plan.scenario().simulation(),
                    simulation(plan, service, Target.ISSUE, couponId, tokenFile),
                    directory.resolve("gatling").resolve(plan.scenario().id() + "-" + strategy),
                    plan.title() + " / " + strategy, true);
            // read before the settling and the audit, whose queries are the harness's, not the run's
            tierCosts.add(meter.cost(plan.scenario().id(), strategy, "run", before, meter.snapshot(),
                    outcome.answers().size(), outcome.answers().stream().filter(Answer::granted).count()));
            settle(db, couponId);
            var facts = db.read(couponId);
            var audit = audit(client, couponId, plan.title() + " / " + strategy);
            var verdict = IntegrityVerdict.evaluate(strategy.equals(BenchSettings.UNSAFE_STRATEGY), facts, audit,
                    outcome.answers());
            var stats = RunStats.of(outcome.answers(), Optional.of(plan.stock()));
            return new StrategyResult(strategy, couponId, stats, facts, audit, verdict, outcome.report(), null);
        } catch (Exception e) {
            return StrategyResult.failed(strategy, couponId, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /**
     * The audit endpoint, asked again after a 503: that is the service's OVERLOADED, which says nothing
     * was done and to try again (on a starved machine a rush can leave an instance's database circuit
     * open for a moment). Any other failure, or a fifth 503, is reported as the audit's failure.
     */
    private static AuditReport audit(ServiceClient client, long couponId, String label) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return client.audit(couponId);
            } catch (IOException e) {
                if (!String.valueOf(e.getMessage()).contains(" answered 503 ") || attempt == AUDIT_ATTEMPTS) {
                    say("%s: the audit endpoint failed: %s".formatted(label, e.getMessage()));
                    return null;
                }
                say("%s: the audit endpoint answered 503 (attempt %d); asking again in 1 s".formatted(label, attempt));
                // its Retry-After: another process's state, nothing to wait on but time
                Thread.sleep(1_000);
            }
        }
    }

    private SimulationSettings simulation(Plan plan, ServiceUnderTest service, Target target, long couponId,
                                          Path tokenFile) {
        return new SimulationSettings(service.baseUri().toString(), target, couponId, tokenFile, plan.tokenCount(),
                plan.mode(), plan.shape());
    }

    /**
     * Gatling has every answer, but a request it gave up on (timeout) may still be finishing in
     * the service; audit only once the coupon's numbers have stopped moving.
     */
    private static void settle(CouponDatabase db, long couponId) throws SQLException, InterruptedException {
        if (!db.awaitStill(couponId, Duration.ofMillis(500), Duration.ofSeconds(60))) {
            say("coupon %d was still changing after 60 s; auditing anyway".formatted(couponId));
        }
    }

    private static String line(RunStats stats) {
        var latency = stats.latency();
        return "%,d requests, %,.1f req/s, p50 %d ms, p95 %d ms, p99 %d ms, max %d ms, %s".formatted(
                stats.requests(), stats.throughput(), latency.p50(), latency.p95(), latency.p99(), latency.max(),
                stats.codes());
    }

    private static void say(String message) {
        System.out.println("[bench] " + message);
    }
}
