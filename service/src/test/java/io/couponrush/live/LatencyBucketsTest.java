package io.couponrush.live;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LatencyBucketsTest {

    @Test
    void everyLatencyFallsInsideItsBucket() {
        for (long nanos = 0; nanos < TimeUnit.SECONDS.toNanos(8); nanos = nanos * 11 / 10 + 997) {
            int index = LatencyBuckets.index(nanos);
            assertThat(nanos).as("%d ns in bucket %d", nanos, index)
                    .isGreaterThanOrEqualTo(LatencyBuckets.lowerNanos(index))
                    .isLessThan(LatencyBuckets.upperNanos(index));
        }
    }

    @Test
    void bucketsAreOrderedAndAtMostFortyOnePercentWide() {
        for (int i = 3; i < LatencyBuckets.COUNT - 1; i++) {
            assertThat(LatencyBuckets.upperNanos(i)).isGreaterThan(LatencyBuckets.upperNanos(i - 1));
            assertThat((double) LatencyBuckets.upperNanos(i) / LatencyBuckets.lowerNanos(i)).isLessThanOrEqualTo(1.5);
        }
    }

    @Test
    void slowAnswersLandInTheOpenLastBucket() {
        assertThat(LatencyBuckets.index(TimeUnit.SECONDS.toNanos(30))).isEqualTo(LatencyBuckets.COUNT - 1);
        assertThat(LatencyBuckets.index(Long.MAX_VALUE)).isEqualTo(LatencyBuckets.COUNT - 1);
        assertThat(LatencyBuckets.index(-5)).isZero();
    }

    @Test
    void percentilesComeFromTheRightBuckets() {
        var counts = new long[LatencyBuckets.COUNT];
        counts[LatencyBuckets.index(TimeUnit.MILLISECONDS.toNanos(1))] += 98;
        counts[LatencyBuckets.index(TimeUnit.MILLISECONDS.toNanos(100))] += 2;

        double p50 = LatencyBuckets.percentile(counts, 0.5);
        double p99 = LatencyBuckets.percentile(counts, 0.99);

        assertThat(p50 / 1e6).isCloseTo(1.0, within(0.3));
        assertThat(p99 / 1e6).isCloseTo(100.0, within(30.0));
    }

    @Test
    void noSamplesNoPercentile() {
        assertThat(LatencyBuckets.percentile(new long[LatencyBuckets.COUNT], 0.99)).isEqualTo(-1);
    }
}
