package io.couponrush.loadtest.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class StallTest {

    private static Attempt answered(int instance, long sent, long answered) {
        return Attempt.answered(instance, sent, answered, 409, Attempt.SOLD_OUT, Attempt.NONE, 0);
    }

    @Test
    void onlyHealthyInstancesInFlightDuringTheFaultCount() {
        var window = new FaultWindow(1_000, 3_000, OptionalInt.of(1));
        var runs = List.of(
                new UserRun(1, List.of(answered(0, 500, 1_200))),      // overlaps the start: 700 ms
                new UserRun(2, List.of(answered(0, 2_000, 2_300))),    // inside: 300 ms
                new UserRun(3, List.of(answered(0, 100, 900))),        // over before the fault: not counted
                new UserRun(4, List.of(answered(0, 3_100, 9_000))),    // after it: not counted
                new UserRun(5, List.of(Attempt.failed(1, 1_500, 6_500, Attempt.Kind.TIMEOUT),
                        answered(0, 6_500, 6_510))));                  // the frozen one's timeout is not a stall

        var stall = Stall.of(runs, window);

        assertThat(stall.requests()).isEqualTo(2);
        assertThat(stall.maxLatencyMillis()).isEqualTo(700);
        assertThat(stall.timeouts()).isZero();
        assertThat(stall.label()).isEqualTo("max 700 ms; 0 timeouts");
    }

    @Test
    void withoutAnInstanceFaultEveryInstanceIsHealthyAndItsTimeoutsCount() {
        var window = new FaultWindow(1_000, 4_000, OptionalInt.empty());
        var runs = List.of(
                new UserRun(1, List.of(Attempt.failed(0, 1_100, 6_100, Attempt.Kind.TIMEOUT),
                        Attempt.failed(1, 6_100, 11_100, Attempt.Kind.TIMEOUT))),
                new UserRun(2, List.of(answered(1, 1_200, 1_250))));

        var stall = Stall.of(runs, window);

        assertThat(stall.requests()).isEqualTo(2);
        assertThat(stall.maxLatencyMillis()).isEqualTo(5_000);
        assertThat(stall.timeouts()).isEqualTo(2);
    }

    @Test
    void saysSoWhenNothingWasInFlight() {
        var stall = Stall.of(List.of(new UserRun(1, List.of(answered(0, 10, 20)))),
                new FaultWindow(1_000, 2_000, OptionalInt.of(1)));

        assertThat(stall.label()).isEqualTo("no requests in the window");
    }
}
