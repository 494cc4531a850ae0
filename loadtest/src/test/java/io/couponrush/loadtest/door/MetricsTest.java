package io.couponrush.loadtest.door;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MetricsTest {

    private static final String SCRAPE = """
            # HELP couponrush_passwords_hashes_total BCrypt hashes computed (sign-up, login, password change)
            # TYPE couponrush_passwords_hashes_total counter
            couponrush_passwords_hashes_total 1234.0
            couponrush_passwords_hashes_total_extra 99.0
            # TYPE couponrush_passwords_shed_total counter
            couponrush_passwords_shed_total{application="couponrush",instance="a"} 3.0
            couponrush_passwords_shed_total{application="couponrush",instance="b"} 4.0 1733480000000
            couponrush_passwords_in_line 0.0
            """;

    @Test
    void readsACounterWithOrWithoutLabelsAndSumsItsSeries() {
        assertThat(Metrics.sum(SCRAPE, Metrics.HASHES)).isEqualTo(1234.0);
        assertThat(Metrics.sum(SCRAPE, Metrics.SHED)).isEqualTo(7.0);
    }

    @Test
    void aMetricTheServiceDoesNotHaveIsUnknownNotZero() {
        assertThat(Metrics.sum("# nothing here\nother_total 5\n", Metrics.HASHES)).isEqualTo(-1);
    }
}
