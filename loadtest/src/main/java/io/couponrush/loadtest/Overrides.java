package io.couponrush.loadtest;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;

/**
 * Sizes given on the command line ({@code -Dbench.vus=...}); each replaces the scenario's value,
 * full or smoke. Blank values count as absent, so the Maven profile can pass every property.
 *
 * @param mode {@code seed}, {@code real}, {@code distinct} or {@code random}
 */
public record Overrides(
        Optional<String> mode,
        OptionalInt vus,
        Optional<Duration> ramp,
        Optional<Duration> hold,
        Optional<Duration> pause,
        OptionalInt stock,
        OptionalInt users,
        OptionalInt perUserLimit,
        OptionalInt connections) {

    public static final Overrides NONE = new Overrides(Optional.empty(), OptionalInt.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(),
            OptionalInt.empty());

    public static Overrides from(Properties properties) {
        return new Overrides(
                text(properties, "bench.mode"),
                integer(properties, "bench.vus"),
                text(properties, "bench.rampSeconds").map(Overrides::seconds),
                text(properties, "bench.holdSeconds").map(Overrides::seconds),
                text(properties, "bench.pauseMillis").map(value -> Duration.ofMillis(Long.parseLong(value))),
                integer(properties, "bench.stock"),
                integer(properties, "bench.users"),
                integer(properties, "bench.perUserLimit"),
                integer(properties, "bench.connections"));
    }

    static Optional<String> text(Properties properties, String name) {
        return Optional.ofNullable(properties.getProperty(name)).map(String::trim).filter(value -> !value.isEmpty());
    }

    private static OptionalInt integer(Properties properties, String name) {
        return text(properties, name).map(value -> OptionalInt.of(Integer.parseInt(value.replace("_", ""))))
                .orElse(OptionalInt.empty());
    }

    /** Decimal seconds, because the seed's optimistic run lasted 10.8 s. */
    private static Duration seconds(String value) {
        return Duration.ofMillis(Math.round(Double.parseDouble(value) * 1000));
    }
}
