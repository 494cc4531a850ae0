package io.couponrush.loadtest.capacity;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * How the crowd's first presses spread over the window, as a cumulative share F(t/T).
 *
 * <p>{@code uniform}: evenly over the window. {@code front-loaded}: half the crowd in the first tenth of the
 * window (a countdown reached zero), the other half evenly over the rest; its peak is five times the uniform
 * rate.
 */
public enum Arrival {

    UNIFORM("uniform"),
    FRONT_LOADED("front-loaded");

    private static final double FRONT = 0.1;
    private static final double FRONT_SHARE = 0.5;

    private final String id;

    Arrival(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Arrival of(String text) {
        var wanted = text.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(arrival -> arrival.id.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("--arrival: uniform or front-loaded, not " + text));
    }

    /** The highest rate as a multiple of the average (people / window). */
    public double peakFactor() {
        return switch (this) {
            case UNIFORM -> 1.0;
            case FRONT_LOADED -> FRONT_SHARE / FRONT;
        };
    }

    /** The share of the crowd that has pressed by {@code x} = t / T (0..1). */
    public double share(double x) {
        double t = Math.clamp(x, 0, 1);
        return switch (this) {
            case UNIFORM -> t;
            case FRONT_LOADED -> t <= FRONT ? FRONT_SHARE * t / FRONT
                    : FRONT_SHARE + (1 - FRONT_SHARE) * (t - FRONT) / (1 - FRONT);
        };
    }

    /** When (as t / T) the given share of the crowd has pressed: the inverse of {@link #share}. */
    public double when(double share) {
        double q = Math.clamp(share, 0, 1);
        return switch (this) {
            case UNIFORM -> q;
            case FRONT_LOADED -> q <= FRONT_SHARE ? FRONT * q / FRONT_SHARE
                    : FRONT + (1 - FRONT) * (q - FRONT_SHARE) / (1 - FRONT_SHARE);
        };
    }

    /** {@code people} press times in seconds, ascending: independent draws from the curve, seeded. */
    public double[] times(int people, double seconds, SplittableRandom random) {
        var times = new double[people];
        for (int i = 0; i < people; i++) {
            times[i] = when(random.nextDouble()) * seconds;
        }
        Arrays.sort(times);
        return times;
    }

    /** {@code people} press times evenly spaced along the curve (the bench's flash burst, uniform). */
    public double[] evenTimes(int people, double seconds) {
        var times = new double[people];
        for (int i = 0; i < people; i++) {
            times[i] = when((double) i / people) * seconds;
        }
        return times;
    }
}
