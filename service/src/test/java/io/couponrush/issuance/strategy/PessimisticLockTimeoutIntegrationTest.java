package io.couponrush.issuance.strategy;

import javax.sql.DataSource;

import io.couponrush.IntegrationTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PessimisticLockTimeoutIntegrationTest extends IntegrationTest {

    /** Another transaction sits on the coupon row: the wait is bounded, the answer is LOCK_TIMEOUT, nothing is written. */
    @Test
    void answersLockTimeoutWhenTheRowStaysLocked() throws Exception {
        long coupon = fixtures.coupon("pessimistic", 5, 1);
        var token = fixtures.user().token();

        try (var connection = context.getBean(DataSource.class).getConnection()) {
            connection.setAutoCommit(false);
            try (var lock = connection.prepareStatement("SELECT id FROM coupons WHERE id = ? FOR UPDATE")) {
                lock.setLong(1, coupon);
                lock.executeQuery().close();
            }
            var answer = api.post("/api/v1/coupons/" + coupon + "/issue", token, null);
            connection.rollback();

            assertThat(answer.status()).isEqualTo(409);
            assertThat(answer.code()).isEqualTo("LOCK_TIMEOUT");
        }
        assertThat(fixtures.rows(coupon)).isZero();
        assertThat(fixtures.remaining(coupon)).isEqualTo(5);
    }
}
