package io.couponrush.loadtest.faults;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The fault scenario's parameters ({@code -Dbench.*}, blank = default), full or smoke size.
 *
 * @param faults           one run per fault and strategy, in this order
 * @param instances        service instances behind the clients' round robin (at least 2: a fault on
 *                         one must leave another to retry on)
 * @param users            clients, one account and one issue each (plus retries)
 * @param stock            the coupon's copies; fewer than the users, so every run sells out
 * @param launchWindow     the users' first requests are spread evenly over this window
 * @param faultAt          the fault strikes once this share of users has its final answer
 * @param stopFor          how long a SIGSTOPped instance stays frozen
 * @param redisDownFor     how long Redis stays dead before it is restarted (empty)
 * @param mariadbDownFor   how long MariaDB stays dead before it is restarted
 * @param settleAfterFault the least time between the end of a fault and the audit: the service's
 *                         reservations and in-flight commits get this long to land or be given back
 * @param stableFor        and the coupon's remaining stock and row count must not have moved for this long
 * @param clientTimeout    a client gives up on a request after this long and retries elsewhere
 * @param retries          retries per user after a connection error, a timeout or a 503
 * @param retryAfterCap    the longest {@code Retry-After} a client honours
 * @param redisMasters     0: one Redis server; 3 or more: a Redis Cluster of that many masters, whose first
 *                         master is the one the {@code redis} fault kills
 */
public record FaultSettings(
        List<Fault> faults,
        int instances,
        int users,
        int stock,
        Duration launchWindow,
        double faultAt,
        Duration stopFor,
        Duration redisDownFor,
        Duration mariadbDownFor,
        Duration settleAfterFault,
        Duration stableFor,
        Duration clientTimeout,
        int retries,
        Duration retryAfterCap,
        Path mariadbd,
        Path mariadbInstallDb,
        Path redisServer,
        int redisMasters) {

    public static final String SCENARIO = "faults";
    public static final List<String> DEFAULT_STRATEGIES = List.of("batched", "redis-gate", "atomic");
    public static final String DEFAULT_FAULTS = "none,kill,stop,redis,mariadb";

    public FaultSettings {
        faults = List.copyOf(faults);
        if (faults.isEmpty()) {
            throw new IllegalArgumentException("bench.faults is empty");
        }
        if (instances < 2) {
            throw new IllegalArgumentException("bench.instances must be at least 2: a client retries on another one");
        }
        if (users < 1 || stock < 1) {
            throw new IllegalArgumentException("bench.users and bench.stock must be at least 1");
        }
        if (!(faultAt > 0 && faultAt < 1)) {
            throw new IllegalArgumentException("bench.faultAt must be a share between 0 and 1, e.g. 0.3");
        }
        if (redisMasters != 0 && redisMasters < 3) {
            throw new IllegalArgumentException("bench.redisMasters: 0 (one Redis server) or at least 3 (a Redis Cluster)");
        }
        if (retries < 0 || clientTimeout.isNegative() || clientTimeout.isZero()) {
            throw new IllegalArgumentException("bench.retries must be 0 or more and bench.timeoutSeconds positive");
        }
    }

    public static FaultSettings from(Properties properties, boolean smoke) {
        return new FaultSettings(
                Arrays.stream(text(properties, "bench.faults").orElse(DEFAULT_FAULTS).split(","))
                        .map(String::trim).filter(id -> !id.isEmpty()).map(Fault::of).distinct().toList(),
                integer(properties, "bench.instances", 2),
                integer(properties, "bench.users", smoke ? 300 : 3_000),
                integer(properties, "bench.stock", smoke ? 100 : 1_000),
                seconds(properties, "bench.rampSeconds", smoke ? 2 : 3),
                text(properties, "bench.faultAt").map(Double::parseDouble).orElse(0.3),
                // The smoke's pauses are shorter, but a frozen instance still outlasts the client timeout.
                seconds(properties, "bench.stopSeconds", smoke ? 6 : 8),
                seconds(properties, "bench.redisDownSeconds", smoke ? 2 : 3),
                seconds(properties, "bench.mariadbDownSeconds", smoke ? 3 : 5),
                // The service settles a dead instance's gate reservations within its lease (5 s) plus a sweep (1 s).
                seconds(properties, "bench.settleSeconds", smoke ? 7 : 10),
                seconds(properties, "bench.stableSeconds", 2),
                seconds(properties, "bench.timeoutSeconds", 5),
                integer(properties, "bench.retries", 3),
                Duration.ofSeconds(2),
                Path.of(text(properties, "bench.mariadbd").orElse("/usr/sbin/mariadbd")),
                Path.of(text(properties, "bench.mariadbInstallDb").orElse("/usr/bin/mariadb-install-db")),
                Path.of(text(properties, "bench.redisServer").orElse("/usr/bin/redis-server")),
                integer(properties, "bench.redisMasters", 0));
    }

    public String describe() {
        return ("%d instances, %,d users (one request each, retried up to %d times on another instance after a"
                + " connection error, a %d s timeout or a 503), stock %,d, first requests spread over %.1f s,"
                + " fault once %d %% of users are answered, audit %d s after the fault and %d s of stable numbers")
                .formatted(instances, users, retries, clientTimeout.toSeconds(), stock,
                        launchWindow.toMillis() / 1000.0, Math.round(faultAt * 100), settleAfterFault.toSeconds(),
                        stableFor.toSeconds());
    }

    private static Optional<String> text(Properties properties, String name) {
        return Optional.ofNullable(properties.getProperty(name)).map(String::trim).filter(value -> !value.isEmpty());
    }

    private static int integer(Properties properties, String name, int fallback) {
        return text(properties, name).map(value -> Integer.parseInt(value.replace("_", ""))).orElse(fallback);
    }

    /** Decimal seconds ("2.5"), like the other scenarios' {@code bench.rampSeconds}. */
    private static Duration seconds(Properties properties, String name, long fallback) {
        return text(properties, name).map(value -> Duration.ofMillis(Math.round(Double.parseDouble(value) * 1000)))
                .orElse(Duration.ofSeconds(fallback));
    }
}
