package io.couponrush.loadtest.door;

import static io.couponrush.loadtest.door.Steps.busy;
import static io.couponrush.loadtest.door.Steps.login;
import static io.couponrush.loadtest.door.Steps.press;
import static io.couponrush.loadtest.door.Steps.refreshed;
import static org.assertj.core.api.Assertions.assertThat;

import io.couponrush.loadtest.simulation.Outcomes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CaseResultTest {

    private static CaseResult result(List<Journey> journeys) {
        return new CaseResult(DoorCase.REFRESH, 7, 2, journeys, 0, 0, List.of());
    }

    @Test
    void timeToAllInIsTheLastAnswerToAPressCountedFromTheOpening() {
        var result = result(List.of(refreshed(0, 0, 40, 201, "201"), refreshed(1, 10, 900, 201, "201"),
                refreshed(2, 20, 60, 409, "COUPON_SOLD_OUT")));

        assertThat(result.timeToAllInMillis()).hasValue(900);
        assertThat(result.undecided()).isZero();
        assertThat(result.waited()).isEqualTo(new CaseResult.Spread(40, 890, 890, 3));
        assertThat(result.requests()).isEqualTo(9);
        assertThat(result.requests(Step.Kind.PRESS)).isEqualTo(6);
        assertThat(result.answers(Step.Kind.PRESS)).isEqualTo(Map.of("201", 2, "401 UNAUTHORIZED", 3, "409 COUPON_SOLD_OUT", 1));
        assertThat(result.answers(Step.Kind.REFRESH)).isEqualTo(Map.of("200", 3));
        assertThat(result.answers(Step.Kind.LOGIN)).isEmpty();
        assertThat(result.outcomes()).isEqualTo(Map.of("201", 2, "409 COUPON_SOLD_OUT", 1));
        assertThat(result.renewalLatency()).isEqualTo(new CaseResult.Spread(3, 3, 3, 3));
    }

    @Test
    void aMemberLeftInTheLineIsNotInAndSaysWhereItStopped() {
        var gaveUp = new Journey(1, 5, List.of(press(5, 6, 401, "UNAUTHORIZED"), busy(Step.Kind.LOGIN, 6, 8, 900)));
        var result = result(List.of(refreshed(0, 0, 40, 201, "201"), gaveUp));

        assertThat(result.timeToAllInMillis()).isEmpty();
        assertThat(result.undecided()).isEqualTo(1);
        assertThat(result.lastAnswerMillis()).isEqualTo(40);
        assertThat(result.outcomes()).containsEntry("login 503 OVERLOADED", 1);
        assertThat(OpeningDoorReport.allIn(result)).isEqualTo("not all in: 1 of 2 without an outcome (last answer 0.04 s)");
    }

    @Test
    void onlyThePressesGoToTheIntegrityChecksWithTheirGrantIds() {
        var lost = new Journey(1, 0, List.of(press(0, 1, 401, "UNAUTHORIZED"), login(1, 80, 200, "200"),
                press(80, 60_080, 0, Step.NO_ANSWER)));

        var answers = CaseResult.pressAnswers(List.of(refreshed(0, 0, 40, 201, "201"), lost));

        assertThat(answers).hasSize(4);
        assertThat(answers.stream().filter(a -> a.granted()).map(a -> a.userCouponId())).containsExactly(1_005L);
        assertThat(answers.getLast().code()).isEqualTo(Outcomes.NO_RESPONSE);
        assertThat(answers.getFirst().code()).isEqualTo("UNAUTHORIZED");
    }

    @Test
    void aSoldOutAnswerWhileStockRemainsIsStranded() {
        var journeys = List.of(refreshed(0, 0, 40, 409, "COUPON_SOLD_OUT"));

        assertThat(CaseResult.strandedStock(journeys, 0)).isEmpty();
        assertThat(CaseResult.strandedStock(journeys, 3)).containsExactly("I7: 3 remaining after 1 sold-out answers");
        assertThat(CaseResult.strandedStock(List.of(refreshed(0, 0, 40, 201, "201")), 3)).isEmpty();
    }

    @Test
    void percentilesAreByNearestRank() {
        var values = new long[100];
        for (int i = 0; i < 100; i++) {
            values[i] = 100 - i;
        }

        assertThat(CaseResult.Spread.of(values)).isEqualTo(new CaseResult.Spread(50, 99, 100, 100));
        assertThat(CaseResult.Spread.of(new long[0])).isEqualTo(new CaseResult.Spread(0, 0, 0, 0));
    }
}
