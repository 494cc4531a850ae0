package io.couponrush.loadtest.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RateCheckTest {

    private static LineSample at(long millis, long admitted) {
        return new LineSample(millis, 0, admitted, 0, 0, 0);
    }

    @Test
    void admissionsAtOrUnderRateTimesElapsedHold() {
        var check = RateCheck.of(List.of(at(-200, 0), at(900, 0), at(2_050, 24), at(3_010, 35)), 12);

        assertThat(check.maxExcess()).isEqualTo(0);
        assertThat(check.held()).isTrue();
        assertThat(check.samples()).isEqualTo(4);
    }

    @Test
    void oneOverIsRoundingAndTwoOverIsAboveTheRate() {
        assertThat(RateCheck.of(List.of(at(1_000, 13)), 12).held()).isTrue();
        var above = RateCheck.of(List.of(at(1_000, 12), at(1_500, 20)), 12);
        assertThat(above.maxExcess()).isEqualTo(2);
        assertThat(above.worst()).isEqualTo(at(1_500, 20));
        assertThat(above.held()).isFalse();
        assertThat(RateCheck.of(List.of(at(-100, 2)), 12).held()).as("admitted before the opening").isFalse();
    }

    @Test
    void theSeriesTakesTheLastSampleOfEachSecond() {
        var series = RateCheck.series(List.of(at(-100, 0), at(800, 0), at(1_000, 10), at(1_900, 22), at(2_100, 24)), 12, 5);

        assertThat(series).containsExactly("1 s: 10 / 12", "2 s: 22 / 22");
    }
}
