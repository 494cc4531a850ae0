package io.couponrush.loadtest.room;

import static io.couponrush.loadtest.room.Exchanges.busy;
import static io.couponrush.loadtest.room.Exchanges.joined;
import static io.couponrush.loadtest.room.Exchanges.look;
import static io.couponrush.loadtest.room.Exchanges.press;
import static io.couponrush.loadtest.room.Exchanges.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import io.couponrush.loadtest.room.VisitorPolicy.Action;
import io.couponrush.loadtest.room.VisitorPolicy.Next;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VisitorPolicyTest {

    private static final long FAR = 1_000_000;

    @Test
    void withoutARoomItPressesAndWithOneItJoins() {
        assertThat(VisitorPolicy.first(false)).isEqualTo(Action.PRESS);
        assertThat(VisitorPolicy.first(true)).isEqualTo(Action.JOIN);
    }

    @Test
    void aWaitingPlaceIsLookedAtAgainWhenRetryAfterSays() {
        assertThat(VisitorPolicy.next(List.of(joined(0, 5, 4, 20)), 5, FAR)).isEqualTo(new Next(Action.POLL, 4_000));
        assertThat(VisitorPolicy.next(List.of(joined(0, 5, 0, 20)), 5, FAR))
                .as("no Retry-After: a second").isEqualTo(new Next(Action.POLL, 1_000));
    }

    @Test
    void theAdmittedPressAtOnceAndFinalStatesEndTheVisit() {
        var admitted = List.of(joined(0, 5, 1, 1), look(1_005, 1_010, "ADMITTED"));
        assertThat(VisitorPolicy.next(admitted, 1_010, FAR)).isEqualTo(Next.now(Action.PRESS));
        for (var state : List.of("ISSUED", "SOLD_OUT", "LAPSED", "CLOSED")) {
            assertThat(VisitorPolicy.next(List.of(joined(0, 5, 1, 1), look(1_005, 1_010, state)), 1_010, FAR))
                    .as(state).isEqualTo(Next.DONE);
        }
    }

    @Test
    void aPressEndsTheVisitUnlessItWasNotAdmittedOrToldToComeBack() {
        assertThat(VisitorPolicy.next(List.of(press(0, 9, 201, "201")), 9, FAR)).isEqualTo(Next.DONE);
        assertThat(VisitorPolicy.next(List.of(press(0, 9, 409, "COUPON_SOLD_OUT")), 9, FAR)).isEqualTo(Next.DONE);
        assertThat(VisitorPolicy.next(List.of(busy(Exchange.Kind.PRESS, 0, 9, 2)), 9, FAR)).isEqualTo(new Next(Action.PRESS, 2_000));

        var refused = new Exchange(Exchange.Kind.PRESS, 0, 9, 409, "NOT_ADMITTED", "WAITING", 3, Exchange.NONE, 4, true, -1);
        assertThat(VisitorPolicy.next(List.of(refused), 9, FAR)).as("the refusal carries a place").isEqualTo(new Next(Action.POLL, 3_000));
        var notYet = new Exchange(Exchange.Kind.PRESS, 0, 9, 409, "NOT_ADMITTED", "ADMITTED", 0, Exchange.NONE, -1, false, -1);
        assertThat(VisitorPolicy.next(List.of(notYet), 9, FAR)).isEqualTo(new Next(Action.POLL, 1_000));
    }

    @Test
    void noAnswerIsSentAgainAfterASecondAndPatienceEndsIt() {
        var lost = Exchange.failed(Exchange.Kind.JOIN, 0, 60_000, Exchange.NO_ANSWER);
        assertThat(VisitorPolicy.next(List.of(lost), 60_000, FAR)).isEqualTo(new Next(Action.JOIN, 1_000));
        assertThat(VisitorPolicy.next(List.of(lost), 60_000, 60_500)).isEqualTo(Next.DONE);
        assertThat(VisitorPolicy.next(List.of(joined(0, 5, 10, 100)), 5, 9_000)).as("the next look is past its patience")
                .isEqualTo(Next.DONE);
        assertThat(VisitorPolicy.next(List.of(Exchange.failed(Exchange.Kind.POLL, 0, 9, Exchange.CUT_OFF)), 9, FAR))
                .isEqualTo(Next.DONE);
    }

    @Test
    void aPersonLooksAtMostMaxAttemptsTimes() {
        var looks = new ArrayList<Exchange>();
        looks.add(joined(0, 1, 1, 1));
        for (int i = 0; i < VisitorPolicy.MAX_ATTEMPTS; i++) {
            looks.add(waiting(Exchange.Kind.POLL, i, i + 1, 1, 1, true));
        }
        assertThat(VisitorPolicy.next(looks, 300, FAR)).isEqualTo(Next.DONE);
    }
}
