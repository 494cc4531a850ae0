package io.couponrush.loadtest.room;

import static io.couponrush.loadtest.room.Exchanges.joined;
import static io.couponrush.loadtest.room.Exchanges.look;
import static io.couponrush.loadtest.room.Exchanges.press;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WaitingRoomReportTest {

    private static final RoomSettings SETTINGS = RoomSettings.from(RoomSettingsTest.properties("bench.users", "3",
            "bench.stock", "1", "bench.admitPerSecond", "1"));

    private static RoomResult off(List<String> violations) {
        return new RoomResult(RoomCase.OFF, 7, 1, 1, Duration.ofSeconds(3), List.of(
                new Visit(0, 11, 0, 0, List.of(press(0, 40, 201, "201"))),
                new Visit(1, 12, 300, 300, List.of(press(300, 500, 409, "COUPON_SOLD_OUT"))),
                new Visit(2, 13, 600, 600, List.of(Exchanges.busy(Exchange.Kind.PRESS, 600, 620, 1),
                        press(1_620, 1_700, 409, "COUPON_SOLD_OUT")))), List.of(), 0.0, Optional.empty(), List.of(), violations);
    }

    private static RoomResult fifo(long admittedAtOneSecond) {
        var visits = List.of(
                new Visit(0, 11, -3_000, -3_000, List.of(joined(-3_000, -2_990, 1, 4), look(1_000, 1_010, "ADMITTED"),
                        press(1_010, 1_030, 201, "201"))),
                new Visit(1, 12, -2_000, -2_000, List.of(joined(-2_000, -1_990, 1, 4), look(2_000, 2_005, "SOLD_OUT"))),
                new Visit(2, 13, -1_000, -1_000, List.of(joined(-1_000, -990, 1, 4), look(9_000, 9_005, "SOLD_OUT"))));
        var samples = List.of(new LineSample(-100, 3, 0, 0, 0, 1), new LineSample(1_000, 2, admittedAtOneSecond, 1, 0, 1),
                new LineSample(2_000, 2, 1, 0, 1, 0));
        return new RoomResult(RoomCase.FIFO, 8, 1, 1, Duration.ofSeconds(3), visits, samples, 0.0, Optional.empty(),
                List.of(new RoomResult.OrderLine("the line's order", new AdmissionOrder(3, 1, 0, 0, 0))), List.of());
    }

    @Test
    void oneRowPerCaseWithRequestsLatenciesTheRateAndTheAnnouncedWaits() {
        var report = WaitingRoomReport.render(SETTINGS, "2 cores", "2 instances", List.of(off(List.of()), fifo(1)), List.of(),
                List.of());

        assertThat(report)
                .contains("| room off | 3 | 4 (0 · 0 · 4) | – | – | 40 / 200 ms | 200 / 1,100 ms | 500 / 1,700 ms | 1 |")
                .contains("| fifo room | 3 | 7 (3 · 3 · 1) | 10 / 10 ms | 5 / 10 ms | 20 / 20 ms | 4,030 / 10,005 ms | 2,005 / 9,005 ms | 0 |")
                .contains("| fifo room | max excess +0 over 3 samples (never above) | 66.7 % (2 of 3 told a wait; ")
                .contains("| `ISSUED` 1 · `SOLD_OUT` 2 | audit: 0.0 % out of order; vs the line's order: in order (1 admitted) | exact |")
                .contains("| room off | – | – | 4: `201` 1 · `409 COUPON_SOLD_OUT` 2 · `503 OVERLOADED` 1 |")
                .contains("| fifo room | 3: `201 WAITING` 3 | 3: `200 ADMITTED` 1 · `200 SOLD_OUT` 2 | 1: `201` 1 |")
                .contains("Admitted over time, fifo room (admitted / allowed = floor(1 × seconds since the opening)): 1 s: 1 / 1 · 2 s: 1 / 2")
                .contains("with the room on, 0 × 5xx: **met**; admitted never above the rate")
                .contains("The crowd sent 7 requests with the fifo room against 4 with the room off")
                .contains("every case passed.");
    }

    @Test
    void aboveTheRateOrBrokenIntegrityFailsButA503WithTheRoomOffDoesNot() {
        var report = WaitingRoomReport.render(SETTINGS, "m", "s", List.of(off(List.of()), fifo(3)), List.of("note"), List.of());

        assertThat(report).contains("**ABOVE THE RATE**").contains("**FAILED**")
                .contains("fifo room: admitted 2 above rate × elapsed (at 1.0 s: 3 admitted, 1 allowed).")
                .doesNotContain("room off: ")
                .contains("Notes: note");
        assertThat(off(List.of()).failures()).isEmpty();
        assertThat(off(List.of("I1 x (y)")).failures()).containsExactly("I1 x (y)");
    }
}
