package io.couponrush.loadtest.faults;

import io.couponrush.loadtest.BenchSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * What {@code -Dbench.scenario=staggered-open} runs: blank properties keep the defaults (full or
 * smoke), see loadtest/README.md.
 *
 * @param strategies   each measured cold and warm; {@code none} only when listed (the service then
 *                     starts with {@code allow-unsafe})
 * @param instances    instance counts, each a pass over every strategy (users alternate by rank)
 * @param spacingNanos between two launches; fractions of a millisecond allowed
 * @param opensIn      how far ahead a cold coupon's window opens: past the service's warm-up (every
 *                     second, for coupons opening within 10 s), so the coupon is ready when it opens
 * @param seenAccounts also measure the control: both bursts by accounts every instance has already
 *                     verified and read (the measured bursts' accounts are new to every instance)
 * @param servers      the binaries of MariaDB and Redis (the fault harness's settings)
 */
record StaggeredOpenSettings(Path root, Path jar, Path results, boolean smoke, List<String> strategies,
        List<Integer> instances, int users, int stock, long spacingNanos, Duration opensIn, boolean seenAccounts,
        List<String> serviceJvmArgs, Duration startTimeout, FaultSettings servers, String command) {

    static final String SCENARIO = "staggered-open";
    static final String UNSAFE = "none";
    /**
     * A burst's new accounts exist at least this long before its opening: every instance learns of new
     * accounts through its change feed (a look every 500 ms), as it has long known a real sale's.
     */
    static final Duration UNSEEN_AHEAD = Duration.ofSeconds(2);
    static final List<String> ALL = List.of("pessimistic", "optimistic", "redis-lock", "atomic", "batched", "redis-gate");
    static final List<String> SMOKE = List.of("batched", "redis-gate", "atomic");
    private static final List<String> KNOWN = List.of(UNSAFE, "pessimistic", "optimistic", "redis-lock", "atomic",
            "batched", "redis-gate");

    StaggeredOpenSettings {
        strategies = List.copyOf(strategies);
        instances = List.copyOf(instances);
        serviceJvmArgs = List.copyOf(serviceJvmArgs);
        var unknown = strategies.stream().filter(s -> !KNOWN.contains(s) && !s.matches("redis-gate:\\d+")).toList();
        if (strategies.isEmpty() || !unknown.isEmpty()) {
            throw new IllegalArgumentException("bench.strategies: unknown " + unknown + "; known: " + KNOWN);
        }
        if (instances.isEmpty() || instances.stream().anyMatch(n -> n < 1)) {
            throw new IllegalArgumentException("bench.instances: a list of counts >= 1, e.g. 1,2");
        }
        if (stock < 1 || users <= stock) {
            throw new IllegalArgumentException("bench.users (%d) must exceed bench.stock (%d) >= 1".formatted(users, stock));
        }
        if (spacingNanos < 0) {
            throw new IllegalArgumentException("bench.spacingMillis must not be negative");
        }
    }

    static StaggeredOpenSettings from(Properties p) {
        var root = Path.of(p.getProperty("bench.root", ".")).toAbsolutePath().normalize();
        boolean smoke = Boolean.parseBoolean(text(p, "bench.smoke", "false"));
        var forServers = new Properties();
        forServers.putAll(p);
        // here a list and this scenario's sizes; the fault settings are only asked for the binaries
        forServers.remove("bench.instances");
        forServers.remove("bench.users");
        forServers.remove("bench.stock");
        double spacingMillis = Double.parseDouble(text(p, "bench.spacingMillis", "2"));
        var command = "./mvnw -B -pl loadtest -am verify -Pbench -DskipTests " + String.join(" ",
                p.stringPropertyNames().stream().filter(n -> n.startsWith("bench.") && !n.equals("bench.root"))
                        .filter(n -> !p.getProperty(n).isBlank()).sorted().map(n -> "-D" + n + "=" + p.getProperty(n))
                        .toList());
        return new StaggeredOpenSettings(root,
                root.resolve(text(p, "bench.serviceJar", "service/target/couponrush-service.jar")),
                root.resolve(text(p, "bench.resultsDir", "loadtest/results")), smoke,
                list(text(p, "bench.strategies", String.join(",", smoke ? SMOKE : ALL))),
                list(text(p, "bench.instances", "1,2")).stream().map(Integer::parseInt).toList(),
                Integer.parseInt(text(p, "bench.users", smoke ? "150" : "300")),
                Integer.parseInt(text(p, "bench.stock", smoke ? "50" : "100")),
                Math.round(spacingMillis * 1_000_000), Duration.ofSeconds(4),
                // the control costs two runs per strategy and instance count: full size only unless asked
                Boolean.parseBoolean(text(p, "bench.seenAccounts", smoke ? "false" : "true")),
                BenchSettings.words(text(p, "bench.serviceJvmArgs", "")),
                Duration.ofSeconds(Long.parseLong(text(p, "bench.startTimeoutSeconds", "300"))),
                FaultSettings.from(forServers, smoke), command);
    }

    double spacingMillis() {
        return spacingNanos / 1e6;
    }

    /** The service's extra arguments: the unsafe demonstration only when it is measured. */
    List<String> serviceArgs() {
        return strategies.contains(UNSAFE) ? List.of("--couponrush.issuance.allow-unsafe=true") : List.of();
    }

    private static String text(Properties p, String name, String fallback) {
        var value = p.getProperty(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static List<String> list(String comma) {
        return Arrays.stream(comma.split(",")).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
    }
}
