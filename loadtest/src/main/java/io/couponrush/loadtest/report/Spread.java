package io.couponrush.loadtest.report;

import java.util.Arrays;

/**
 * Nearest-rank percentiles and the maximum of some durations in milliseconds; all 0 for no samples.
 *
 * @param count how many values
 */
public record Spread(long p50, long p99, long max, int count) {

    public static final Spread NONE = new Spread(0, 0, 0, 0);

    public static Spread of(long[] values) {
        if (values.length == 0) {
            return NONE;
        }
        var sorted = values.clone();
        Arrays.sort(sorted);
        return new Spread(at(sorted, 50), at(sorted, 99), sorted[sorted.length - 1], sorted.length);
    }

    /** The smallest value with at least {@code percent} % of them at or below it. */
    public static long at(long[] ascending, double percent) {
        int rank = (int) Math.ceil(percent / 100.0 * ascending.length);
        return ascending[Math.clamp(rank - 1, 0, ascending.length - 1)];
    }

    /** {@code 12 / 480 ms}, or {@code –} without samples. */
    public String p50p99() {
        return count == 0 ? "–" : "%,d / %,d ms".formatted(p50, p99);
    }
}
