package io.couponrush.loadtest;

import io.couponrush.loadtest.simulation.Scenario;
import io.couponrush.loadtest.simulation.Shape;
import io.couponrush.loadtest.simulation.TokenMode;
import java.util.Locale;

/**
 * One scenario as it will run: its shape, the coupon each strategy gets and the accounts used.
 *
 * @param users accounts in the pool (1 in seed mode)
 */
public record Plan(Scenario scenario, boolean smoke, TokenMode mode, int stock, int perUserLimit, int users,
                   Shape shape) {

    public Plan {
        if (stock < 1) {
            throw new IllegalArgumentException("stock must be at least 1");
        }
        if (perUserLimit < 0) {
            throw new IllegalArgumentException("perUserLimit must be 0 (unlimited) or more");
        }
        if (users < 1) {
            throw new IllegalArgumentException("users must be at least 1");
        }
    }

    public static Plan of(Scenario scenario, boolean smoke, Overrides overrides) {
        var mode = overrides.mode().map(value -> switch (value.toLowerCase(Locale.ROOT)) {
            case "seed" -> TokenMode.SEED;
            case "real" -> scenario.realMode();
            default -> TokenMode.of(value);
        }).orElse(scenario.defaultMode());
        var sizing = scenario.sizing(smoke);
        var shape = scenario.shape(smoke);
        if (overrides.vus().isPresent()) {
            shape = shape.withUsers(overrides.vus().getAsInt());
        }
        shape = overrides.ramp().map(shape::withRamp).orElse(shape);
        shape = overrides.hold().map(shape::withHold).orElse(shape);
        shape = overrides.pause().map(shape::withPause).orElse(shape);
        // Only a burst sends through a shared pool; looping users keep their own connection.
        if (overrides.connections().isPresent() && !shape.loop()) {
            shape = shape.withConnections(overrides.connections().getAsInt());
        }
        boolean seed = mode == TokenMode.SEED;
        // A burst promises one request per distinct user, so its pool grows with its arrivals.
        int realUsers = shape.loop() ? sizing.realUsers() : Math.max(sizing.realUsers(), shape.users());
        return new Plan(scenario, smoke, mode,
                overrides.stock().orElse(sizing.stock()),
                overrides.perUserLimit().orElse(seed ? 0 : sizing.realPerUserLimit()),
                overrides.users().orElse(seed ? 1 : realUsers),
                shape);
    }

    /** Lines of the token file the simulation uses. */
    public int tokenCount() {
        return mode == TokenMode.SEED ? 1 : users;
    }

    public String describeMode() {
        var limit = perUserLimit == 0 ? "no per-user limit" : "per-user limit " + perUserLimit;
        return switch (mode) {
            case SEED -> "seed mode: one account for every virtual user, " + limit;
            case DISTINCT -> "real mode: %,d accounts taken in turn, %s".formatted(users, limit);
            case RANDOM -> "real mode: a random account of %,d per request, %s".formatted(users, limit);
        };
    }

    public String title() {
        return scenario.id() + (smoke ? " (smoke)" : "");
    }
}
