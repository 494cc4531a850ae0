package io.couponrush.loadtest.simulation;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Everything a simulation needs, carried in {@code sim.*} system properties so the same classes
 * run from the bench runner (which sets them before each in-process Gatling run) or from
 * Gatling's own launcher with {@code -Dsim.baseUrl=... -Dsim.couponId=...}.
 *
 * @param tokenCount how many lines of {@code tokenFile} form the pool (SEED uses only the first)
 */
public record SimulationSettings(
        String baseUrl,
        Target target,
        long couponId,
        Path tokenFile,
        int tokenCount,
        TokenMode tokenMode,
        Shape shape) {

    public static final String PREFIX = "sim.";

    public SimulationSettings {
        if (target == Target.ISSUE && couponId <= 0) {
            throw new IllegalArgumentException("sim.couponId is required to issue");
        }
        if (tokenCount < 1) {
            throw new IllegalArgumentException("sim.tokenCount must be at least 1");
        }
    }

    /** Reads {@code sim.*} properties; whatever is absent comes from the scenario's full-size defaults. */
    public static SimulationSettings from(Properties properties, Scenario defaults) {
        var shape = defaults.fullShape();
        var users = intProperty(properties, "users", shape.users());
        var ramp = millisProperty(properties, "rampMillis", shape.ramp());
        var hold = millisProperty(properties, "holdMillis", shape.hold());
        var pause = millisProperty(properties, "pauseMillis", shape.pause());
        var connections = intProperty(properties, "connections", shape.connections());
        var tokenFile = properties.getProperty(PREFIX + "tokenFile");
        if (tokenFile == null || tokenFile.isBlank()) {
            throw new IllegalArgumentException("sim.tokenFile is required: a file with one bearer token per line");
        }
        return new SimulationSettings(
                properties.getProperty(PREFIX + "baseUrl", "http://127.0.0.1:8080"),
                Target.of(properties.getProperty(PREFIX + "target", "issue")),
                Long.parseLong(properties.getProperty(PREFIX + "couponId", "0")),
                Path.of(tokenFile),
                intProperty(properties, "tokenCount", 1),
                TokenMode.of(properties.getProperty(PREFIX + "tokenMode", defaults.defaultMode().id())),
                new Shape(users, ramp, hold, pause, shape.loop(), connections));
    }

    /** The properties that make {@link #from} give back these settings. */
    public Map<String, String> toProperties() {
        var map = new LinkedHashMap<String, String>();
        map.put(PREFIX + "baseUrl", baseUrl);
        map.put(PREFIX + "target", target.id());
        map.put(PREFIX + "couponId", Long.toString(couponId));
        map.put(PREFIX + "tokenFile", tokenFile.toString());
        map.put(PREFIX + "tokenCount", Integer.toString(tokenCount));
        map.put(PREFIX + "tokenMode", tokenMode.id());
        map.put(PREFIX + "users", Integer.toString(shape.users()));
        map.put(PREFIX + "rampMillis", Long.toString(shape.ramp().toMillis()));
        map.put(PREFIX + "holdMillis", Long.toString(shape.hold().toMillis()));
        map.put(PREFIX + "pauseMillis", Long.toString(shape.pause().toMillis()));
        map.put(PREFIX + "connections", Integer.toString(shape.connections()));
        return map;
    }

    private static int intProperty(Properties properties, String name, int fallback) {
        var value = properties.getProperty(PREFIX + name);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
    }

    private static Duration millisProperty(Properties properties, String name, Duration fallback) {
        var value = properties.getProperty(PREFIX + name);
        return value == null || value.isBlank() ? fallback : Duration.ofMillis(Long.parseLong(value.trim()));
    }
}
