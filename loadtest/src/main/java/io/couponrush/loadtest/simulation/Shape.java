package io.couponrush.loadtest.simulation;

import java.time.Duration;

/**
 * How load is applied, independent of what it hits.
 *
 * <p>A looping shape starts {@code users} virtual users spread over {@code ramp}; every user
 * repeats "request, pause" until ramp + hold has passed since the run began (the k6 stage
 * semantics the seed reports used: everybody stops together). A burst shape starts
 * {@code users} users spread over {@code ramp}, and each sends exactly one request.
 *
 * @param connections 0: every virtual user has its own keep-alive connection; otherwise all users
 *                    share a pool of this many, as behind a front proxy, and a request waits for
 *                    a free connection (the wait counts in its latency)
 */
public record Shape(int users, Duration ramp, Duration hold, Duration pause, boolean loop, int connections) {

    public Shape {
        if (users < 1) {
            throw new IllegalArgumentException("users must be at least 1, was " + users);
        }
        if (ramp.isNegative() || hold.isNegative() || pause.isNegative()) {
            throw new IllegalArgumentException("durations must not be negative");
        }
        if (connections < 0) {
            throw new IllegalArgumentException("connections must be 0 (one per user) or more");
        }
        if (loop && ramp.plus(hold).isZero()) {
            throw new IllegalArgumentException("a looping shape needs a ramp or a hold");
        }
    }

    public static Shape loop(int users, Duration ramp, Duration hold, Duration pause) {
        return new Shape(users, ramp, hold, pause, true, 0);
    }

    public static Shape burst(int users, Duration arrivalWindow, int connections) {
        return new Shape(users, arrivalWindow, Duration.ZERO, Duration.ZERO, false, connections);
    }

    /** How long the injection lasts, after which loops end; bursts end when their last answer arrives. */
    public Duration nominalLength() {
        return ramp.plus(hold);
    }

    public Shape withUsers(int newUsers) {
        return new Shape(newUsers, ramp, hold, pause, loop, connections);
    }

    public Shape withRamp(Duration newRamp) {
        return new Shape(users, newRamp, hold, pause, loop, connections);
    }

    public Shape withHold(Duration newHold) {
        return new Shape(users, ramp, newHold, pause, loop, connections);
    }

    public Shape withPause(Duration newPause) {
        return new Shape(users, ramp, hold, newPause, loop, connections);
    }

    public Shape withConnections(int newConnections) {
        return new Shape(users, ramp, hold, pause, loop, newConnections);
    }

    /** One line for the summary, e.g. "ramp 0→2,000 VUs in 10 s, hold 80 s, loop: request + pause 1 s". */
    public String describe() {
        var through = connections == 0 || loop ? ""
                : " through %,d shared connections (a front proxy's pool; latency counts from arrival)".formatted(connections);
        if (!loop) {
            return "%,d users, one request each, arriving within %s".formatted(users, seconds(ramp)) + through;
        }
        var start = ramp.isZero()
                ? "%,d VUs for %s".formatted(users, seconds(hold))
                : "ramp 0→%,d VUs in %s, hold %s".formatted(users, seconds(ramp), seconds(hold));
        var body = pause.isZero() ? "loop: request, no pause (closed model)" : "loop: request + pause " + seconds(pause);
        return start + ", " + body + through;
    }

    static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? (millis / 1000) + " s" : "%.1f s".formatted(millis / 1000.0);
    }
}
