package io.couponrush.loadtest.room;

import static io.couponrush.loadtest.room.Exchanges.busy;
import static io.couponrush.loadtest.room.Exchanges.joined;
import static io.couponrush.loadtest.room.Exchanges.look;
import static io.couponrush.loadtest.room.Exchanges.press;
import static io.couponrush.loadtest.room.Exchanges.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class VisitTest {

    @Test
    void theFinalAnswerIsWhereTheVisitEnded() {
        assertThat(new Visit(0, 1, 0, 0, List.of(press(0, 5, 201, "201"))).outcome()).isEqualTo("ISSUED");
        assertThat(new Visit(0, 1, 0, 0, List.of(press(0, 5, 409, "COUPON_SOLD_OUT"))).outcome()).isEqualTo("SOLD_OUT");
        assertThat(new Visit(0, 1, 0, 0, List.of(joined(0, 5, 1, 9), look(1_000, 1_005, "SOLD_OUT"))).outcome())
                .isEqualTo("SOLD_OUT");
        var gaveUp = new Visit(0, 1, 0, 0, List.of(busy(Exchange.Kind.POLL, 0, 5, 1)));
        assertThat(gaveUp.outcome()).isEqualTo("gave up: poll 503 OVERLOADED");
        assertThat(gaveUp.decided()).isFalse();
    }

    @Test
    void aFifoPersonIsToldItsWaitAtTheJoinAndJudgedByItsFinalAnswer() {
        var visit = new Visit(3, 9, -4_000, -4_000, List.of(joined(-4_000, -3_900, 2, 6), waiting(Exchange.Kind.POLL, -1_900, -1_890, 1, 4, true),
                look(1_000, 1_010, "ADMITTED"), press(1_010, 1_050, 201, "201")));

        assertThat(visit.announced()).contains(new Visit.Announced(-3_900, 6));
        assertThat(visit.latenessMillis()).as("final at 1,050 ms, announced for 2,100 ms").contains(-1_050L);
        assertThat(visit.waitedMillis()).isEqualTo(5_050);
        assertThat(visit.admittedAtMillis()).isEqualTo(1_001_010);
    }

    @Test
    void aRaffleEntrantIsToldItsWaitAtTheFirstLookWithAPlace() {
        var visit = new Visit(0, 9, -3_000, -3_000, List.of(waiting(Exchange.Kind.JOIN, -3_000, -2_990, 1, 3, false),
                waiting(Exchange.Kind.POLL, -1_990, -1_980, 1, 2, false), waiting(Exchange.Kind.POLL, 20, 30, 2, 8, true),
                look(2_030, 2_040, "SOLD_OUT")));

        assertThat(visit.announced()).contains(new Visit.Announced(30, 8));
        assertThat(visit.latenessMillis()).contains(2_040L - 8_030);
    }

    @Test
    void noWaitIsAnnouncedWithoutARoom() {
        assertThat(new Visit(0, 1, 0, 0, List.of(press(0, 5, 201, "201"))).announced()).isEmpty();
    }
}
