package io.couponrush.loadtest.faults;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OpeningOrderTest {

    private static OpeningOrder.Answer a(int rank, String code) {
        return new OpeningOrder.Answer(rank, code);
    }

    @Test
    void aPerfectOpeningHasNothingOutOfOrder() {
        var order = OpeningOrder.of(2, List.of(a(1, "ISSUED"), a(2, "ISSUED"), a(3, "COUPON_SOLD_OUT"), a(4, "COUPON_SOLD_OUT")));

        assertThat(order).isEqualTo(new OpeningOrder(2, 2, 0, 2, 2, 0, 0, new java.util.TreeMap<>()));
        assertThat(order.outOfOrderPercent()).isZero();
        assertThat(order.cell()).isEqualTo("0.0 % (latest #2)");
    }

    @Test
    void countsLateWinnersAndEarlyRefusals() {
        var order = OpeningOrder.of(2, List.of(a(1, "COUPON_SOLD_OUT"), a(2, "ISSUED"), a(3, "COUPON_SOLD_OUT"),
                a(4, "ISSUED"), a(5, "NO_ANSWER"), a(6, "OVERLOADED")));

        assertThat(order.outOfOrder()).isEqualTo(1);
        assertThat(order.latestWinnerRank()).isEqualTo(4);
        assertThat(order.soldOut()).isEqualTo(2);
        assertThat(order.earlyRefusals()).isEqualTo(1);
        assertThat(order.undefined()).isEqualTo(1);
        assertThat(order.outOfOrderPercent()).isEqualTo(50.0);
    }

    @Test
    void answersWithoutAProblemCodeAreUndefinedButAnOverloadIsAnAnswer() {
        var order = OpeningOrder.of(1, List.of(a(1, "ISSUED"), a(2, "HTTP_502"), a(3, "INTERNAL_ERROR"), a(4, "OVERLOADED"),
                a(5, "LOCK_TIMEOUT"), a(6, "NO_ANSWER")));

        assertThat(order.undefined()).isEqualTo(3);
        assertThat(order.winners()).isEqualTo(1);
        assertThat(order.others()).containsExactly(java.util.Map.entry("HTTP_502", 1), java.util.Map.entry("INTERNAL_ERROR", 1),
                java.util.Map.entry("LOCK_TIMEOUT", 1), java.util.Map.entry("NO_ANSWER", 1), java.util.Map.entry("OVERLOADED", 1));
    }

    @Test
    void aWinnerLaunchedRightAfterTheStockIsOutOfOrderAndTheShareIsOfTheStock() {
        var answers = new java.util.ArrayList<OpeningOrder.Answer>();
        for (int rank = 1; rank <= 300; rank++) {
            answers.add(a(rank, rank == 7 || rank == 42 || rank > 100 ? "COUPON_SOLD_OUT" : "ISSUED"));
        }
        answers.set(100, a(101, "ISSUED"));
        answers.set(202, a(203, "ISSUED"));

        var order = OpeningOrder.of(100, answers);

        assertThat(order.winners()).isEqualTo(100);
        assertThat(order.outOfOrder()).isEqualTo(2);
        assertThat(order.outOfOrderPercent()).isEqualTo(2.0);
        assertThat(order.latestWinnerRank()).isEqualTo(203);
        assertThat(order.earlyRefusals()).isEqualTo(2);
        assertThat(order.cell()).isEqualTo("2.0 % (latest #203)");
    }

    @Test
    void byInstanceShowsWhichInstanceWonLateAndWhichLostEarly() {
        // ranks alternate: odd ranks to instance 0, even ranks to instance 1
        var answers = List.of(a(1, "ISSUED"), a(2, "COUPON_SOLD_OUT"), a(3, "ISSUED"), a(4, "COUPON_SOLD_OUT"),
                a(5, "ISSUED"), a(6, "COUPON_SOLD_OUT"));

        assertThat(OpeningOrder.byInstance(3, answers, 2)).isEqualTo("#0: 1 / 0, #1: 0 / 1");
        assertThat(OpeningOrder.byInstance(3, answers, 1)).isEqualTo("–");
    }

    @Test
    void jitterIsTakenByNearestRank() {
        var jitter = OpeningOrder.Jitter.of(new long[] {3_000_000, 1_000_000, 2_000_000, 100_000_000});

        assertThat(jitter.p50()).isEqualTo(2.0);
        assertThat(jitter.p99()).isEqualTo(100.0);
        assertThat(jitter.max()).isEqualTo(100.0);
    }
}
