package io.couponrush.loadtest.room;

import java.util.List;
import java.util.Map;

/**
 * Whether people were admitted in an expected order (a raffle's draw, the line's own order, the order the
 * crowd sent its joins in). Admission runs in steps: everyone admitted by one step shares its instant, so only
 * a person admitted at a strictly later step than someone behind them is out of order.
 *
 * @param expected   people in the expected order
 * @param admitted   of them, how many were admitted
 * @param overtaken  people admitted at a later step than someone behind them (or never, while someone behind
 *                   them was): each was overtaken at least once
 * @param skipped    of those, the ones never admitted
 * @param late       admitted people placed after the first {@code admitted} in the expected order: with N
 *                   admitted, the ones who took the turn of someone among the first N (staggered-open's "out of
 *                   order", insensitive to reordering among the first N)
 */
record AdmissionOrder(int expected, int admitted, int overtaken, int skipped, int late) {

    /**
     * @param expected   user ids in the order they should be admitted
     * @param admittedAt when each was admitted (any clock, same for all); absent or negative: never
     */
    static AdmissionOrder check(List<Long> expected, Map<Long, Long> admittedAt) {
        int admitted = (int) expected.stream().filter(user -> admittedAt.getOrDefault(user, -1L) >= 0).count();
        int overtaken = 0;
        int skipped = 0;
        int late = 0;
        long earliestBehind = Long.MAX_VALUE; // the earliest admission of anyone behind the current person
        for (int i = expected.size() - 1; i >= 0; i--) {
            long at = admittedAt.getOrDefault(expected.get(i), -1L);
            boolean in = at >= 0;
            if (in) {
                if (i >= admitted) {
                    late++;
                }
                if (at > earliestBehind) {
                    overtaken++;
                }
                earliestBehind = Math.min(earliestBehind, at);
            } else if (earliestBehind != Long.MAX_VALUE) {
                overtaken++;
                skipped++;
            }
        }
        return new AdmissionOrder(expected.size(), admitted, overtaken, skipped, late);
    }

    /** Late as a share of the admitted, in percent. */
    double latePercent() {
        return admitted == 0 ? 0 : late * 100.0 / admitted;
    }

    boolean inOrder() {
        return overtaken == 0;
    }

    /** {@code in order (65 admitted)}, or how far from it. */
    String describe() {
        return overtaken == 0 ? "in order (%,d admitted)".formatted(admitted)
                : "%.1f %% out of order (%,d of %,d admitted placed after the %,d-th; %,d overtaken at least once, %,d of them never admitted)"
                        .formatted(latePercent(), late, admitted, admitted, overtaken, skipped);
    }
}
