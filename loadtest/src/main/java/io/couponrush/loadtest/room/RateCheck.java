package io.couponrush.loadtest.room;

import java.util.ArrayList;
import java.util.List;

/**
 * Admissions against the rate: at every sample, the people admitted so far against {@code rate × elapsed}
 * since the opening. The service's admission step admits up to {@code floor(rate × (now − opening))} in total,
 * its {@code now} no later than the moment the sample's answer came, so a sample above that bound by more
 * than {@link #TOLERANCE} is an admission above the rate.
 *
 * @param maxExcess the most admitted above {@code floor(rate × elapsed)} at any sample (0 or less: never above)
 * @param worst     the sample where it was largest, or {@code null} without samples
 */
record RateCheck(double rate, int samples, long maxExcess, LineSample worst) {

    /** One person: the bound is a whole number of people; a step's rounding may not cost more. */
    static final long TOLERANCE = 1;

    static long allowed(double rate, long atMillis) {
        return atMillis <= 0 ? 0 : (long) Math.floor(rate * atMillis / 1000.0);
    }

    static RateCheck of(List<LineSample> samples, double rate) {
        long max = Long.MIN_VALUE;
        LineSample worst = null;
        for (var sample : samples) {
            long excess = sample.admitted() - allowed(rate, sample.atMillis());
            if (excess > max) {
                max = excess;
                worst = sample;
            }
        }
        return new RateCheck(rate, samples.size(), worst == null ? 0 : max, worst);
    }

    boolean held() {
        return maxExcess <= TOLERANCE;
    }

    /** The last sample at or before each whole second from the opening: {@code admitted / allowed}, up to {@code most}. */
    static List<String> series(List<LineSample> samples, double rate, int most) {
        var out = new ArrayList<String>();
        if (samples.isEmpty()) {
            return out;
        }
        long end = samples.getLast().atMillis();
        for (long second = 1; second * 1000 <= end && out.size() < most; second++) {
            LineSample at = null;
            for (var sample : samples) {
                if (sample.atMillis() <= second * 1000) {
                    at = sample;
                }
            }
            if (at != null && at.atMillis() > 0) {
                out.add("%d s: %,d / %,d".formatted(second, at.admitted(), allowed(rate, at.atMillis())));
            }
        }
        return out;
    }
}
