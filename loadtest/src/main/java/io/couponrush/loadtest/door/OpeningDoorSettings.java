package io.couponrush.loadtest.door;

import io.couponrush.loadtest.BenchSettings;
import io.couponrush.loadtest.faults.FaultSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * What {@code -Dbench.scenario=opening-door} runs: blank properties keep the defaults (full or smoke),
 * see loadtest/README.md.
 *
 * @param strategy     the coupon's issuance strategy (one; the service's default, {@code batched})
 * @param instances    service instances; member <i>i</i> goes to instance <i>i</i> mod this
 * @param users        the crowd of each case, one account each
 * @param stock        each case's coupon, limit 1 per user
 * @param launchWindow the crowd's first presses are spread evenly over it, the first at the opening
 * @param patience     a member gives up on any request that would start later than this after its first press
 * @param warmupUsers  the unreported warm-up crowd (half refreshes, half logs in) before the cases
 * @param servers      the binaries of MariaDB and Redis (the fault harness's settings)
 */
record OpeningDoorSettings(Path root, Path jar, Path results, boolean smoke, String strategy, int instances, int users,
        int stock, Duration launchWindow, Duration patience, int warmupUsers, List<String> serviceJvmArgs,
        Duration startTimeout, FaultSettings servers, String command) {

    static final String SCENARIO = "opening-door";
    static final List<String> STRATEGIES = List.of("pessimistic", "optimistic", "redis-lock", "atomic", "batched",
            "redis-gate");
    /** Every account of the crowds shares it (hashed once by the fixture), so a login costs one real check. */
    static final String PASSWORD = "opening-door-password";
    /**
     * The crowd's access tokens: minted to live this long, so they are refused once it and the 60 s of clock
     * skew the service allows on {@code exp} have passed, just before the opening.
     */
    static final Duration TOKEN_LIFETIME = Duration.ofSeconds(1);
    static final Duration EXP_SKEW = Duration.ofSeconds(60);

    OpeningDoorSettings {
        serviceJvmArgs = List.copyOf(serviceJvmArgs);
        if (!STRATEGIES.contains(strategy)) {
            throw new IllegalArgumentException("bench.strategies: one of " + STRATEGIES + " for opening-door, not "
                    + strategy);
        }
        if (instances < 1) {
            throw new IllegalArgumentException("bench.instances must be at least 1");
        }
        if (users < 1 || stock < 1) {
            throw new IllegalArgumentException("bench.users and bench.stock must be at least 1");
        }
        if (launchWindow.isNegative() || patience.isNegative() || patience.isZero()) {
            throw new IllegalArgumentException("bench.rampSeconds must not be negative, bench.patienceSeconds positive");
        }
    }

    static OpeningDoorSettings from(Properties p) {
        var root = Path.of(p.getProperty("bench.root", ".")).toAbsolutePath().normalize();
        boolean smoke = Boolean.parseBoolean(text(p, "bench.smoke", "false"));
        var forServers = new Properties();
        forServers.putAll(p);
        // this scenario's sizes; the fault settings are only asked for the binaries
        for (var own : List.of("bench.instances", "bench.users", "bench.stock", "bench.rampSeconds")) {
            forServers.remove(own);
        }
        var strategies = Arrays.stream(text(p, "bench.strategies", "batched").split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).distinct().toList();
        if (strategies.size() != 1) {
            throw new IllegalArgumentException("bench.strategies: opening-door measures one strategy, not " + strategies);
        }
        var command = "./mvnw -B -pl loadtest -am verify -Pbench -DskipTests " + String.join(" ",
                p.stringPropertyNames().stream().filter(n -> n.startsWith("bench.") && !n.equals("bench.root"))
                        .filter(n -> !p.getProperty(n).isBlank()).sorted().map(n -> "-D" + n + "=" + p.getProperty(n))
                        .toList());
        return new OpeningDoorSettings(root,
                root.resolve(text(p, "bench.serviceJar", "service/target/couponrush-service.jar")),
                root.resolve(text(p, "bench.resultsDir", "loadtest/results")), smoke, strategies.getFirst(),
                Integer.parseInt(text(p, "bench.instances", "1")),
                // a login costs a BCrypt check (~80 ms of a core): 3,000 logins are about two minutes on 2 cores
                Integer.parseInt(text(p, "bench.users", smoke ? "300" : "3000").replace("_", "")),
                Integer.parseInt(text(p, "bench.stock", smoke ? "100" : "1000").replace("_", "")),
                seconds(text(p, "bench.rampSeconds", "1")),
                seconds(text(p, "bench.patienceSeconds", smoke ? "180" : "600")),
                smoke ? 40 : 100,
                BenchSettings.words(text(p, "bench.serviceJvmArgs", "")),
                Duration.ofSeconds(Long.parseLong(text(p, "bench.startTimeoutSeconds", "300"))),
                FaultSettings.from(forServers, smoke), command);
    }

    /**
     * What every instance gets besides the issue limits ({@code ServiceCluster} sets those): the limits per
     * address on logins and on refreshes out of reach, not off, since every member of the crowd comes from
     * 127.0.0.1. The refresh limit counts refused refreshes only, but takes its token before the answer is
     * known: a crowd of concurrent refreshes from one address would drain its 30 and be answered 429. The
     * other login limits count failed logins only, and the crowd knows its password.
     */
    static List<String> serviceArgs() {
        return List.of("--couponrush.rate-limits.login-per-ip.capacity=2000000000",
                "--couponrush.rate-limits.refresh-per-ip.capacity=2000000000");
    }

    private static Duration seconds(String decimal) {
        return Duration.ofMillis(Math.round(Double.parseDouble(decimal) * 1000));
    }

    private static String text(Properties p, String name, String fallback) {
        var value = p.getProperty(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
