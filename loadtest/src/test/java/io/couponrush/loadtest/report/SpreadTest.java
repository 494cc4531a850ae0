package io.couponrush.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SpreadTest {

    @Test
    void nearestRankPercentilesAndTheMaximum() {
        var spread = Spread.of(new long[] {5, 1, 4, 2, 3, 100, 6, 7, 8, 9});

        assertThat(spread).isEqualTo(new Spread(5, 100, 100, 10));
        assertThat(spread.p50p99()).isEqualTo("5 / 100 ms");
    }

    @Test
    void noSamplesReadAsADash() {
        assertThat(Spread.of(new long[0])).isEqualTo(Spread.NONE);
        assertThat(Spread.NONE.p50p99()).isEqualTo("–");
    }
}
