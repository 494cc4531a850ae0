package io.couponrush.loadtest.room;

import io.couponrush.loadtest.BenchSettings;
import io.couponrush.loadtest.faults.FaultSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * What {@code -Dbench.scenario=waiting-room} runs: blank properties keep the defaults (full or smoke), see
 * loadtest/README.md.
 *
 * @param cases          in this order
 * @param strategy       the coupons' issuance strategy (one)
 * @param instances      service instances; person <i>i</i> goes to instance <i>i</i> mod this
 * @param users          the crowd, one account each, the same people in every case
 * @param stock          each case's coupon, limit 1 per person
 * @param admitPerSecond the room's rate; by default the stock over {@link #LINE_SECONDS}
 * @param joinWindow     with a room, the joins are spread evenly over it, ending {@link #LEAD} before the opening
 * @param connections    the proxy's pool: keep-alive connections to each instance the crowd's requests share
 * @param tolerance      a final answer within the announced wait plus this counts as on time
 * @param patience       a person gives up on any request that would start later than this after its first
 * @param warmupUsers    the unreported warm-up crowd (room off, then a fifo room) before the cases
 */
record RoomSettings(Path root, Path jar, Path results, boolean smoke, List<RoomCase> cases, String strategy,
        int instances, int users, int stock, double admitPerSecond, Duration joinWindow, int connections,
        Duration tolerance, Duration patience, int warmupUsers, List<String> serviceJvmArgs, Duration startTimeout,
        FaultSettings servers, String command) {

    static final String SCENARIO = "waiting-room";
    static final List<String> STRATEGIES = List.of("pessimistic", "optimistic", "redis-lock", "atomic", "batched",
            "redis-gate");
    /** The default rate lets the stock through in this long: the line lasts some seconds. */
    static final double LINE_SECONDS = 5;
    /** Between the last join and the opening. */
    static final Duration LEAD = Duration.ofSeconds(2);
    /** With the room off, the presses are spread over this, from the opening. */
    static final Duration PRESS_WINDOW = Duration.ofSeconds(1);
    /** An admitted person's turn; the crowd presses at once, so it never lapses unless the service is stuck. */
    static final int TURN_SECONDS = 30;

    RoomSettings {
        cases = List.copyOf(cases);
        serviceJvmArgs = List.copyOf(serviceJvmArgs);
        if (cases.isEmpty()) {
            throw new IllegalArgumentException("bench.cases is empty");
        }
        if (!STRATEGIES.contains(strategy)) {
            throw new IllegalArgumentException("bench.strategies: one of " + STRATEGIES + " for waiting-room, not " + strategy);
        }
        if (instances < 1 || users < 1 || stock < 1 || connections < 1) {
            throw new IllegalArgumentException("bench.instances, bench.users, bench.stock and bench.connections must be at least 1");
        }
        if (!(admitPerSecond >= 0.1 && admitPerSecond <= 100_000)) {
            throw new IllegalArgumentException("bench.admitPerSecond must be between 0.1 and 100000 (the service's bounds)");
        }
        if (joinWindow.isNegative() || tolerance.isNegative() || !patience.isPositive()) {
            throw new IllegalArgumentException("bench.rampSeconds and bench.toleranceSeconds must not be negative, "
                    + "bench.patienceSeconds positive");
        }
    }

    static RoomSettings from(Properties p) {
        var root = Path.of(p.getProperty("bench.root", ".")).toAbsolutePath().normalize();
        boolean smoke = Boolean.parseBoolean(text(p, "bench.smoke", "false"));
        var forServers = new Properties();
        forServers.putAll(p);
        for (var own : List.of("bench.instances", "bench.users", "bench.stock", "bench.rampSeconds")) {
            forServers.remove(own); // this scenario's sizes; the fault settings are only asked for the binaries
        }
        var strategies = list(text(p, "bench.strategies", "batched"));
        if (strategies.size() != 1) {
            throw new IllegalArgumentException("bench.strategies: waiting-room measures one strategy, not " + strategies);
        }
        int stock = Integer.parseInt(text(p, "bench.stock", smoke ? "60" : "1000").replace("_", ""));
        return new RoomSettings(root,
                root.resolve(text(p, "bench.serviceJar", "service/target/couponrush-service.jar")),
                root.resolve(text(p, "bench.resultsDir", "loadtest/results")), smoke,
                list(text(p, "bench.cases", "off,fifo,raffle")).stream().map(RoomCase::of).distinct().toList(),
                strategies.getFirst(),
                Integer.parseInt(text(p, "bench.instances", "2")),
                Integer.parseInt(text(p, "bench.users", smoke ? "600" : "10000").replace("_", "")),
                stock,
                Double.parseDouble(text(p, "bench.admitPerSecond", Double.toString(stock / LINE_SECONDS))),
                seconds(text(p, "bench.rampSeconds", smoke ? "2" : "5")),
                Integer.parseInt(text(p, "bench.connections", smoke ? "100" : "250")),
                seconds(text(p, "bench.toleranceSeconds", "3")),
                seconds(text(p, "bench.patienceSeconds", smoke ? "120" : "300")),
                smoke ? 100 : 400,
                BenchSettings.words(text(p, "bench.serviceJvmArgs", "")),
                Duration.ofSeconds(Long.parseLong(text(p, "bench.startTimeoutSeconds", "300"))),
                FaultSettings.from(forServers, smoke), BenchSettings.command(p));
    }

    private static List<String> list(String text) {
        return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
    }

    private static Duration seconds(String decimal) {
        return Duration.ofMillis(Math.round(Double.parseDouble(decimal) * 1000));
    }

    private static String text(Properties p, String name, String fallback) {
        var value = p.getProperty(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
