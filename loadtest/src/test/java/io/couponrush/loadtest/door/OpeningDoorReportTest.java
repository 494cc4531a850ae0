package io.couponrush.loadtest.door;

import static io.couponrush.loadtest.door.Steps.busy;
import static io.couponrush.loadtest.door.Steps.login;
import static io.couponrush.loadtest.door.Steps.press;
import static io.couponrush.loadtest.door.Steps.refreshed;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OpeningDoorReportTest {

    private static final OpeningDoorSettings SETTINGS = OpeningDoorSettings.from(
            OpeningDoorSettingsTest.properties("bench.users", "3", "bench.stock", "2"));

    private static CaseResult refresh(long hashes) {
        return new CaseResult(DoorCase.REFRESH, 7, 2, List.of(refreshed(0, 0, 40, 201, "201"),
                refreshed(1, 300, 500, 201, "201"), refreshed(2, 600, 1_200, 409, "COUPON_SOLD_OUT")), hashes, 0, List.of());
    }

    private static CaseResult loggingIn(List<String> violations) {
        var slow = new Journey(0, 0, List.of(press(0, 2, 401, "UNAUTHORIZED"), busy(Step.Kind.LOGIN, 2, 5, 4),
                login(4_005, 4_090, 200, "200"), press(4_090, 4_100, 201, "201")));
        var quick = new Journey(1, 300, List.of(press(300, 302, 401, "UNAUTHORIZED"), login(302, 390, 200, "200"),
                press(390, 400, 201, "201")));
        var last = new Journey(2, 600, List.of(press(600, 602, 401, "UNAUTHORIZED"), login(602, 700, 200, "200"),
                press(700, 710, 409, "COUPON_SOLD_OUT")));
        return new CaseResult(DoorCase.LOGIN, 8, 2, List.of(slow, quick, last), 3, 1, violations);
    }

    @Test
    void oneRowPerCaseWithTimeToAllInHashesAndAnswers() {
        var report = OpeningDoorReport.render(SETTINGS, "2 cores", "1 service instance", "2.0 s before the first opening",
                List.of(refresh(0), loggingIn(List.of())), List.of(), List.of());

        assertThat(report)
                .contains("a crowd of 3 accounts whose access tokens were minted to live 1 s")
                .contains("from 2.0 s before the first opening")
                .contains("| refresh | 3 | 1.20 s | 200 / 600 ms | 2 / 595 ms | 3 / 3 ms | 9 | 0 | 0 "
                        + "| `201` 2 · `409 COUPON_SOLD_OUT` 1 | exact |")
                .contains("| log in again | 3 | 4.10 s | 110 / 4,100 ms | 2 / 10 ms | 85 / 98 ms | 10 | 3 | 1 ")
                .contains("| refresh | 6: `201` 2 · `401 UNAUTHORIZED` 3 · `409 COUPON_SOLD_OUT` 1 | 3: `200` 3 | – |")
                .contains("| log in again | 6: `201` 2 · `401 UNAUTHORIZED` 3 · `409 COUPON_SOLD_OUT` 1 | – "
                        + "| 4: `200` 3 · `503 OVERLOADED` 1 |")
                .contains("with refresh the opening costs 0 BCrypt hashes: **met** in this run (0 hashes)")
                .contains("the same crowd logging in again: 3 BCrypt hashes, 1 turned away by the line, "
                        + "time to all in 4.10 s against 1.20 s (3.4×), 10 requests against 9.")
                .contains("every case exact.");
    }

    @Test
    void saysWhenRefreshCostHashesAndWhenIntegrityFailed() {
        var report = OpeningDoorReport.render(SETTINGS, "m", "s", "e", List.of(refresh(2), loggingIn(List.of("I1 x (y)"))),
                List.of("refresh: late"), List.of("IOException: boom"));

        assertThat(report).contains("**NOT met** in this run (2 hashes)")
                .contains("| I1 x (y) |")
                .contains("**FAILED**")
                .contains("Notes: refresh: late")
                .contains("Problems: IOException: boom");
    }

    @Test
    void aServiceThatCountsNoHashesIsNotMeasuredRatherThanMet() {
        var report = OpeningDoorReport.render(SETTINGS, "m", "s", "e", List.of(refresh(-1)), List.of(), List.of());

        assertThat(report).contains("**not measured** in this run (the service counts no hashes)")
                .contains("| 9 | ? | 0 |");
    }
}
