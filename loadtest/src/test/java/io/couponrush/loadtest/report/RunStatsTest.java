package io.couponrush.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.couponrush.loadtest.simulation.Answer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunStatsTest {

    @Test
    void percentilesAreNearestRank() {
        int[] oneToHundred = new int[100];
        for (int i = 0; i < 100; i++) {
            oneToHundred[i] = i + 1;
        }
        assertThat(RunStats.percentile(oneToHundred, 50)).isEqualTo(50);
        assertThat(RunStats.percentile(oneToHundred, 95)).isEqualTo(95);
        assertThat(RunStats.percentile(oneToHundred, 99)).isEqualTo(99);
        assertThat(RunStats.percentile(new int[] {7}, 99)).isEqualTo(7);
        assertThat(RunStats.percentile(new int[] {1, 2, 3}, 50)).isEqualTo(2);
        assertThat(RunStats.percentile(new int[0], 50)).isZero();
    }

    @Test
    void throughputIsAnswersOverTheWindowFromFirstSendToLastAnswer() {
        var answers = new ArrayList<Answer>();
        for (int i = 0; i < 1_000; i++) {
            answers.add(new Answer(1_000 + i * 2L, 1_010 + i * 2L, 10, "201", i));
        }
        // first sent at 1,000 ms, last answered at 1,000 + 999 * 2 + 10 = 3,008 ms: a 2,008 ms window.
        var stats = RunStats.of(answers, Optional.empty());

        assertThat(stats.requests()).isEqualTo(1_000);
        assertThat(stats.window()).isEqualTo(Duration.ofMillis(2_008));
        assertThat(stats.throughput()).isCloseTo(498.0, within(0.1));
    }

    @Test
    void countsAnswersByCodeWithSuccessesFirst() {
        var stats = RunStats.of(List.of(
                answer(0, 5, "COUPON_SOLD_OUT", Answer.NONE),
                answer(0, 5, "201", 1),
                answer(0, 5, "ALREADY_ISSUED", Answer.NONE),
                answer(0, 5, "COUPON_SOLD_OUT", Answer.NONE)), Optional.empty());

        assertThat(stats.codes().keySet()).containsExactly("201", "ALREADY_ISSUED", "COUPON_SOLD_OUT");
        assertThat(stats.count("COUPON_SOLD_OUT")).isEqualTo(2);
        assertThat(stats.count("LOCK_TIMEOUT")).isZero();
    }

    @Test
    void soldOutIsWhenTheLastUnitWasGranted() {
        var answers = List.of(
                answer(100, 120, "201", 1),
                answer(110, 400, "201", 2),
                answer(105, 250, "201", 3),
                answer(300, 900, "COUPON_SOLD_OUT", Answer.NONE));

        assertThat(RunStats.of(answers, Optional.of(3)).timeUntilSoldOut()).contains(Duration.ofMillis(300));
        assertThat(RunStats.of(answers, Optional.of(2)).timeUntilSoldOut()).contains(Duration.ofMillis(150));
        assertThat(RunStats.of(answers, Optional.of(4)).timeUntilSoldOut()).isEmpty();
    }

    @Test
    void latencySummaryComesFromEveryAnswer() {
        var answers = new ArrayList<Answer>();
        for (int latency = 1; latency <= 200; latency++) {
            answers.add(new Answer(0, latency, latency, "200", Answer.NONE));
        }
        var latency = RunStats.of(answers, Optional.empty()).latency();

        assertThat(latency.p50()).isEqualTo(100);
        assertThat(latency.p95()).isEqualTo(190);
        assertThat(latency.p99()).isEqualTo(198);
        assertThat(latency.max()).isEqualTo(200);
        assertThat(latency.mean()).isCloseTo(100.5, within(0.001));
    }

    @Test
    void anEmptyRunHasNoThroughput() {
        var stats = RunStats.of(List.of(), Optional.of(10));
        assertThat(stats.requests()).isZero();
        assertThat(stats.throughput()).isZero();
        assertThat(stats.timeUntilSoldOut()).isEmpty();
    }

    private static Answer answer(long start, long end, String code, long userCouponId) {
        return new Answer(start, end, (int) (end - start), code, userCouponId);
    }
}
