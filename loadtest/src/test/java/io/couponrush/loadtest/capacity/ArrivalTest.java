package io.couponrush.loadtest.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ArrivalTest {

    @Test
    void frontLoadedCrowdHasHalfItsPressesInTheFirstTenth() {
        assertThat(Arrival.FRONT_LOADED.share(0.1)).isCloseTo(0.5, within(1e-12));
        assertThat(Arrival.FRONT_LOADED.peakFactor()).isEqualTo(5.0);
        assertThat(Arrival.UNIFORM.share(0.3)).isCloseTo(0.3, within(1e-12));
        for (var arrival : Arrival.values()) {
            for (double q = 0; q <= 1; q += 0.05) {
                assertThat(arrival.share(arrival.when(q))).isCloseTo(q, within(1e-12));
            }
        }
    }

    @Test
    void drawsPressesFromTheCurveInOrderAndTheSameForTheSameSeed() {
        var times = Arrival.FRONT_LOADED.times(100_000, 10, new SplittableRandom(7));

        assertThat(times).isSorted();
        long early = java.util.Arrays.stream(times).filter(t -> t < 1).count();
        assertThat(early).isBetween(49_000L, 51_000L);
        assertThat(Arrival.FRONT_LOADED.times(100_000, 10, new SplittableRandom(7))).isEqualTo(times);
    }
}
