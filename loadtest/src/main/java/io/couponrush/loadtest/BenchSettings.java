package io.couponrush.loadtest;

import io.couponrush.loadtest.faults.FaultSettings;
import io.couponrush.loadtest.simulation.Scenario;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The bench command's parameters, from {@code bench.*} system properties (the Maven profile
 * forwards {@code -Dbench.*} from the command line) and the environment.
 *
 * @param warmup      how long the trivial endpoint, then the issue path, are driven before anything is measured
 * @param serviceCpus CPUs the service instances are pinned to ({@code taskset}), or empty: not pinned
 * @param otherCpus   CPUs MariaDB, Redis, HAProxy and the harness itself are pinned to, or empty
 * @param quiet       how long the servers' background work is measured with no load (subtracted from every
 *                    per-tier cost); zero: not measured
 * @param database    where the harness reads the service's tables; {@code embedded}: no database in the
 *                    environment, the runner starts the machine's MariaDB itself
 * @param embeddedRedis no {@code SPRING_DATA_REDIS_HOST}: the runner starts the machine's Redis itself
 * @param faults      present for {@code -Dbench.scenario=faults}, which runs alone on servers of its own
 * @param instances   service processes, on the runner's own MariaDB and Redis (the machine's binaries,
 *                    {@code localServers}) unless both come from the environment; above 1, always on its
 *                    own, behind HAProxy ({@code haproxy})
 */
public record BenchSettings(
        Path root,
        Path serviceJar,
        Path resultsRoot,
        boolean smoke,
        List<Plan> plans,
        Optional<FaultSettings> faults,
        List<String> strategies,
        List<String> serviceJvmArgs,
        Duration startTimeout,
        Duration warmup,
        Duration quiet,
        Optional<String> serviceCpus,
        Optional<String> otherCpus,
        Database database,
        boolean embeddedRedis,
        String command,
        int instances,
        Path haproxy,
        FaultSettings localServers) {

    public static final List<String> ALL_STRATEGIES =
            List.of("none", "pessimistic", "optimistic", "redis-lock", "atomic", "batched", "redis-gate");
    public static final String FULL_DEFAULT_SCENARIO = "seed-rush";
    public static final String SMOKE_DEFAULT_SCENARIOS = "flash-burst,seed-rush";

    /** The strategy that is refused unless {@code couponrush.issuance.allow-unsafe=true}: a demonstration. */
    public static final String UNSAFE_STRATEGY = "none";

    public BenchSettings {
        if (instances < 1) {
            throw new IllegalArgumentException("bench.instances must be at least 1");
        }
        if (instances > 1 && faults.isEmpty() && (!database.embedded() || !embeddedRedis)) {
            // Several instances need one database and one Redis outside any of them; the runner starts
            // its own rather than silently ignoring the ones the environment names.
            throw new IllegalArgumentException("bench.instances=" + instances + " starts its own MariaDB and Redis"
                    + " (the machine's binaries): unset SPRING_DATASOURCE_URL and SPRING_DATA_REDIS_HOST");
        }
        if (faults.isEmpty() && database.embedded() != embeddedRedis) {
            // The service jar has no servers of its own: the runner starts both, or the environment names both.
            throw new IllegalArgumentException("set both SPRING_DATASOURCE_URL and SPRING_DATA_REDIS_HOST (servers of"
                    + " your own), or neither (the runner starts the machine's MariaDB and Redis)");
        }
    }

    /**
     * @param embedded the service starts its own MariaDB; {@code url} is then known only once its port is chosen
     */
    public record Database(boolean embedded, String url, String user, String password) {

        static Database from(Map<String, String> environment) {
            var url = environment.get("SPRING_DATASOURCE_URL");
            if (url == null || url.isBlank()) {
                return new Database(true, null, "root", "");
            }
            return new Database(false, url,
                    environment.getOrDefault("SPRING_DATASOURCE_USERNAME", "root"),
                    environment.getOrDefault("SPRING_DATASOURCE_PASSWORD", ""));
        }

    }

    public static BenchSettings from(Properties properties, Map<String, String> environment) {
        var root = Path.of(Overrides.text(properties, "bench.root").orElse(".")).toAbsolutePath().normalize();
        boolean smoke = Overrides.text(properties, "bench.smoke").map(Boolean::parseBoolean).orElse(false);
        var overrides = Overrides.from(properties);
        var scenarios = list(Overrides.text(properties, "bench.scenario")
                .orElse(smoke ? SMOKE_DEFAULT_SCENARIOS : FULL_DEFAULT_SCENARIO));
        Optional<FaultSettings> faults = Optional.empty();
        if (scenarios.contains(FaultSettings.SCENARIO)) {
            if (scenarios.size() > 1) {
                throw new IllegalArgumentException("the faults scenario starts servers of its own: run it alone"
                        + " (-Dbench.scenario=faults)");
            }
            faults = Optional.of(FaultSettings.from(properties, smoke));
        }
        var plans = faults.isPresent() ? List.<Plan>of()
                : scenarios.stream().map(id -> Plan.of(scenario(id), smoke, overrides)).toList();
        var strategies = list(Overrides.text(properties, "bench.strategies").orElse(String.join(",",
                faults.isPresent() ? FaultSettings.DEFAULT_STRATEGIES : ALL_STRATEGIES)));
        if (strategies.isEmpty()) {
            throw new IllegalArgumentException("bench.strategies is empty");
        }
        var redisHost = environment.get("SPRING_DATA_REDIS_HOST");
        int instances = faults.map(FaultSettings::instances).orElseGet(() -> instances(properties));
        return new BenchSettings(
                root,
                root.resolve(Overrides.text(properties, "bench.serviceJar")
                        .orElse("service/target/couponrush-service.jar")).normalize(),
                root.resolve(Overrides.text(properties, "bench.resultsDir").orElse("loadtest/results")).normalize(),
                smoke,
                plans,
                faults,
                strategies,
                Overrides.text(properties, "bench.serviceJvmArgs").map(BenchSettings::words).orElse(List.of()),
                Duration.ofSeconds(Overrides.text(properties, "bench.startTimeoutSeconds")
                        .map(Long::parseLong).orElse(300L)),
                Duration.ofSeconds(Overrides.text(properties, "bench.warmupSeconds")
                        .map(Long::parseLong).orElse(smoke ? 3L : 10L)),
                Duration.ofSeconds(Overrides.text(properties, "bench.quietSeconds")
                        .map(Long::parseLong).orElse(smoke ? 2L : 5L)),
                Overrides.text(properties, "bench.serviceCpus"),
                Overrides.text(properties, "bench.otherCpus"),
                Database.from(environment),
                redisHost == null || redisHost.isBlank(),
                command(properties),
                instances,
                Path.of(Overrides.text(properties, "bench.haproxy").orElse("/usr/sbin/haproxy")),
                localServers(properties, smoke));
    }

    /** One count for the Gatling scenarios (staggered-open, which takes a list, never gets here). */
    private static int instances(Properties properties) {
        var text = Overrides.text(properties, "bench.instances").orElse("1");
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bench.instances: one number of service instances, e.g. 3; got '"
                    + text + "'", e);
        }
    }

    /**
     * The binaries of MariaDB and Redis, as the fault harness takes them ({@code bench.mariadbd},
     * {@code bench.mariadbInstallDb}, {@code bench.redisServer}); only those properties are passed on,
     * so that this scenario's sizes are not read as the fault scenario's.
     */
    private static FaultSettings localServers(Properties properties, boolean smoke) {
        var binaries = new Properties();
        for (var name : List.of("bench.mariadbd", "bench.mariadbInstallDb", "bench.redisServer")) {
            Overrides.text(properties, name).ifPresent(value -> binaries.setProperty(name, value));
        }
        return FaultSettings.from(binaries, smoke);
    }

    private static Scenario scenario(String id) {
        try {
            return Scenario.of(id);
        } catch (IllegalArgumentException unknown) {
            throw new IllegalArgumentException(unknown.getMessage() + ", " + FaultSettings.SCENARIO, unknown);
        }
    }

    /** The one command that reproduces this run, with every bench.* property that was given. */
    public static String command(Properties properties) {
        var parts = new ArrayList<String>(List.of(
                "./mvnw", "-B", "-pl", "loadtest", "-am", "verify", "-Pbench", "-DskipTests"));
        properties.stringPropertyNames().stream()
                .filter(name -> name.startsWith("bench.") && !name.equals("bench.root"))
                .sorted()
                .forEach(name -> Overrides.text(properties, name)
                        .ifPresent(value -> parts.add("-D" + name + "=" + quoted(value))));
        return String.join(" ", parts);
    }

    private static String quoted(String value) {
        return value.matches("[A-Za-z0-9_.,:/=+-]+") ? value : "'" + value.replace("'", "'\\''") + "'";
    }

    static List<String> list(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(item -> !item.isEmpty())
                .distinct().toList();
    }

    /** {@code bench.serviceJvmArgs} and the like: words separated by white space. */
    public static List<String> words(String text) {
        return Arrays.stream(text.trim().split("\\s+")).filter(word -> !word.isEmpty()).toList();
    }
}
