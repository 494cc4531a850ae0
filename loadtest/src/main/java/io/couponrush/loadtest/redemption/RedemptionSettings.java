package io.couponrush.loadtest.redemption;

import io.couponrush.loadtest.BenchSettings;
import io.couponrush.loadtest.faults.FaultSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * What {@code -Dbench.scenario=redemption} runs: blank properties keep the defaults (full or smoke), see
 * loadtest/README.md.
 *
 * @param storm       run the storms (one per strategy)
 * @param kill        run the kill case (an instance killed between reserve and confirm)
 * @param strategies  the storms' redemption strategies, in this order
 * @param instances   service instances (at least 2: the kill case needs one to survive)
 * @param copies      copies per storm, one per fixture user
 * @param concurrency copies in flight at once in a storm
 * @param faultCopies copies of the kill case
 * @param hold        how long a reservation holds a copy ({@code couponrush.redemption.hold})
 * @param connections the keep-alive connections to each instance the calls share
 * @param seed        the storms' plans (checkouts per copy, double clicks, cancels) are drawn from it
 */
record RedemptionSettings(Path root, Path jar, Path results, boolean smoke, boolean storm, boolean kill,
        List<String> strategies, int instances, int copies, int concurrency, int faultCopies, Duration hold,
        int connections, long seed, List<String> serviceJvmArgs, Duration startTimeout, FaultSettings servers,
        String command) {

    static final String SCENARIO = "redemption";
    static final List<String> STRATEGIES = List.of("naive", "conditional");

    RedemptionSettings {
        strategies = List.copyOf(strategies);
        serviceJvmArgs = List.copyOf(serviceJvmArgs);
        if (!storm && !kill) {
            throw new IllegalArgumentException("bench.cases: storm, kill or both");
        }
        if (storm && strategies.isEmpty()) {
            throw new IllegalArgumentException("bench.strategies is empty");
        }
        strategies.forEach(s -> {
            if (!STRATEGIES.contains(s)) {
                throw new IllegalArgumentException("bench.strategies: " + STRATEGIES + " for redemption, not " + s);
            }
        });
        if (instances < 2) {
            throw new IllegalArgumentException("bench.instances must be at least 2: the kill case needs one to survive");
        }
        if (copies < 1 || concurrency < 1 || faultCopies < 3 || connections < 1) {
            throw new IllegalArgumentException("bench.users, bench.concurrency and bench.connections must be at least 1, "
                    + "bench.faultCopies at least 3");
        }
        if (!hold.isPositive()) {
            throw new IllegalArgumentException("bench.redemptionHoldSeconds must be positive");
        }
    }

    static RedemptionSettings from(Properties p) {
        var root = Path.of(p.getProperty("bench.root", ".")).toAbsolutePath().normalize();
        boolean smoke = Boolean.parseBoolean(text(p, "bench.smoke", "false"));
        var forServers = new Properties();
        forServers.putAll(p);
        for (var own : List.of("bench.instances", "bench.users", "bench.stock", "bench.rampSeconds")) {
            forServers.remove(own); // this scenario's sizes; the fault settings are only asked for the binaries
        }
        var cases = list(text(p, "bench.cases", "storm,kill"));
        cases.forEach(c -> {
            if (!c.equals("storm") && !c.equals("kill")) {
                throw new IllegalArgumentException("bench.cases: storm, kill or both for redemption, not " + c);
            }
        });
        return new RedemptionSettings(root,
                root.resolve(text(p, "bench.serviceJar", "service/target/couponrush-service.jar")),
                root.resolve(text(p, "bench.resultsDir", "loadtest/results")), smoke, cases.contains("storm"),
                cases.contains("kill"), list(text(p, "bench.strategies", String.join(",", STRATEGIES))),
                Integer.parseInt(text(p, "bench.instances", "2")),
                Integer.parseInt(text(p, "bench.users", smoke ? "200" : "2000").replace("_", "")),
                Integer.parseInt(text(p, "bench.concurrency", smoke ? "32" : "64")),
                Integer.parseInt(text(p, "bench.faultCopies", smoke ? "60" : "300").replace("_", "")),
                Duration.ofMillis(Math.round(Double.parseDouble(text(p, "bench.redemptionHoldSeconds", "5")) * 1000)),
                Integer.parseInt(text(p, "bench.connections", smoke ? "64" : "128")),
                22L,
                BenchSettings.words(text(p, "bench.serviceJvmArgs", "")),
                Duration.ofSeconds(Long.parseLong(text(p, "bench.startTimeoutSeconds", "300"))),
                FaultSettings.from(forServers, smoke), BenchSettings.command(p));
    }

    /**
     * What every instance gets: the bench's order system, known by the SHA-256 of a secret made for the run; the
     * hold; and the naive strategy allowed (it is refused otherwise).
     */
    List<String> serviceArgs(String secretSha256) {
        var args = new java.util.ArrayList<>(List.of("--couponrush.redemption.clients[0].id=" + OrderSystem.CLIENT_ID,
                "--couponrush.redemption.clients[0].secret-sha256=" + secretSha256,
                "--couponrush.redemption.hold=" + hold.toMillis() + "ms"));
        if (storm && strategies.contains(StormResult.NAIVE)) {
            args.add("--couponrush.issuance.allow-unsafe=true");
        }
        return List.copyOf(args);
    }

    private static List<String> list(String text) {
        return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
    }

    private static String text(Properties p, String name, String fallback) {
        var value = p.getProperty(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
