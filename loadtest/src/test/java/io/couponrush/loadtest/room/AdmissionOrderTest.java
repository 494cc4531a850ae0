package io.couponrush.loadtest.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdmissionOrderTest {

    @Test
    void stepsInTheExpectedOrderAreInOrderWhateverHappensWithinAStep() {
        var order = AdmissionOrder.check(List.of(1L, 2L, 3L, 4L, 5L), Map.of(1L, 100L, 2L, 100L, 3L, 300L, 4L, 300L));

        assertThat(order).isEqualTo(new AdmissionOrder(5, 4, 0, 0, 0));
        assertThat(order.inOrder()).isTrue();
        assertThat(order.describe()).isEqualTo("in order (4 admitted)");
    }

    @Test
    void someoneAdmittedAtALaterStepThanSomeoneBehindIsOvertaken() {
        var order = AdmissionOrder.check(List.of(1L, 2L, 3L, 4L), Map.of(1L, 100L, 2L, 300L, 3L, 100L));

        assertThat(order.overtaken()).isEqualTo(1);
        assertThat(order.late()).as("3 admitted; #3 is among the first 3").isZero();
        assertThat(order.inOrder()).isFalse();
    }

    @Test
    void someoneSkippedIsOvertakenAndTheOneWhoTookItsTurnIsLate() {
        var order = AdmissionOrder.check(List.of(1L, 2L, 3L, 4L), Map.of(1L, 100L, 3L, 100L, 4L, 300L));

        assertThat(order).isEqualTo(new AdmissionOrder(4, 3, 1, 1, 1));
        assertThat(order.latePercent()).isCloseTo(33.3, org.assertj.core.data.Offset.offset(0.1));
        assertThat(order.describe()).startsWith("33.3 % out of order (1 of 3 admitted placed after the 3-th");
    }

    @Test
    void admissionsOfPeopleOutsideTheExpectedOrderAreIgnored() {
        assertThat(AdmissionOrder.check(List.of(1L, 2L), Map.of(1L, 1L, 2L, 2L, 99L, 0L)).inOrder()).isTrue();
    }
}
