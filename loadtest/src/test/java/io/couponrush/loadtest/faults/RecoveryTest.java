package io.couponrush.loadtest.faults;

import java.util.List;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RecoveryTest {

    private static final FaultWindow MARIADB_DOWN = new FaultWindow(1_000, 6_000, OptionalInt.empty());

    private static Attempt answer(long sent, long answered, int status) {
        return Attempt.answered(0, sent, answered, status, status == 201 ? "201" : status == 503 ? "OVERLOADED" : "COUPON_SOLD_OUT",
                status == 201 ? 42 : Attempt.NONE, status == 503 ? 1 : 0);
    }

    @Test
    void countsFromTheReturnToTheFirstGrantAndTheClientsStillRefusedLongAfter() {
        var runs = List.of(
                new UserRun(1, List.of(answer(0, 900, 201))), // granted before the fault: not a recovery
                new UserRun(2, List.of(answer(2_000, 2_100, 503), answer(6_100, 6_450, 201))),
                new UserRun(3, List.of(answer(5_000, 5_200, 503), answer(6_000, 6_300, 201))),
                new UserRun(4, List.of(answer(13_000, 14_500, 503), answer(15_000, 15_100, 409))),
                new UserRun(5, List.of(answer(13_500, 14_000, 503), answer(14_100, 14_200, 503))));

        var recovery = Recovery.of(runs, MARIADB_DOWN);

        assertThat(recovery.firstGrantMillis()).isEqualTo(300);
        assertThat(recovery.grantsAfter()).isEqualTo(2);
        assertThat(recovery.late503Users()).as("503 answered after 14,000 ms: users 4 and 5, each once").isEqualTo(2);
        assertThat(recovery.label()).isEqualTo("first grant +300 ms; 2 late 503 (40.0 %)");
    }

    @Test
    void saysSoWhenNoGrantCameAfterTheReturn() {
        var recovery = Recovery.of(List.of(new UserRun(1, List.of(answer(0, 900, 201)))), MARIADB_DOWN);

        assertThat(recovery.firstGrantMillis()).isEqualTo(-1);
        assertThat(recovery.label()).startsWith("first grant none after; 0 late 503");
    }
}
