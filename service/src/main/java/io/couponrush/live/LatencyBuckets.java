package io.couponrush.live;

/**
 * A fixed set of latency buckets, two per power of two (each about 41 % wider than the one before),
 * from 16 µs to about 8.6 s; above that, one open bucket. Finding a bucket is a shift and a
 * leading-zero count, so counting a request costs one {@code LongAdder} increment. Percentiles are
 * interpolated inside their bucket: good to the bucket's width, which is what a live view needs.
 */
final class LatencyBuckets {

    /** Nanoseconds are counted in units of 2^14 ns (16.384 µs). */
    private static final int UNIT_SHIFT = 14;

    static final int COUNT = 40;

    private static final long[] UPPER_NANOS = new long[COUNT];

    static {
        UPPER_NANOS[0] = 1L << UNIT_SHIFT;
        for (int i = 1; i < COUNT; i++) {
            int exponent = (i - 1) / 2;
            int half = (i - 1) % 2;
            long upperUnits = exponent == 0 ? 2 : (1L << exponent) + ((long) (half + 1) << (exponent - 1));
            UPPER_NANOS[i] = upperUnits << UNIT_SHIFT;
        }
        UPPER_NANOS[COUNT - 1] = Long.MAX_VALUE;
    }

    private LatencyBuckets() {
    }

    static int index(long nanos) {
        long units = Math.max(0, nanos) >>> UNIT_SHIFT;
        if (units == 0) {
            return 0;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(units);
        int half = exponent == 0 ? 0 : (int) (units >>> (exponent - 1)) & 1;
        return Math.min(COUNT - 1, 1 + 2 * exponent + half);
    }

    /** Exclusive upper bound of a bucket; the last one is open. */
    static long upperNanos(int index) {
        return UPPER_NANOS[index];
    }

    static long lowerNanos(int index) {
        return index == 0 ? 0 : UPPER_NANOS[index - 1];
    }

    /**
     * The {@code quantile} (0 &lt; q ≤ 1) of the counts, in nanoseconds, or -1 without samples. Inside
     * the open last bucket the answer is its lower bound: "at least".
     */
    static double percentile(long[] counts, double quantile) {
        long samples = 0;
        for (long count : counts) {
            samples += count;
        }
        if (samples == 0) {
            return -1;
        }
        double rank = Math.max(1, Math.ceil(quantile * samples));
        long below = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0 && below + counts[i] >= rank) {
                if (i == COUNT - 1) {
                    return lowerNanos(i);
                }
                double within = (rank - below) / counts[i];
                return lowerNanos(i) + within * (upperNanos(i) - lowerNanos(i));
            }
            below += counts[i];
        }
        return lowerNanos(COUNT - 1);
    }
}
