package io.couponrush.loadtest.redemption;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CheckoutTest {

    private static List<List<Checkout>> plans(long seed, int copies) {
        var random = new SplittableRandom(seed);
        var plans = new ArrayList<List<Checkout>>();
        for (long copy = 1; copy <= copies; copy++) {
            plans.add(Checkout.plan(random, "naive", copy));
        }
        return plans;
    }

    @Test
    void twoToFourOrdersPerCopyEachWithItsOwnId() {
        var plans = plans(22, 2_000);

        assertThat(plans).allSatisfy(plan -> {
            assertThat(plan.size()).isBetween(Checkout.FEWEST, Checkout.MOST);
            assertThat(plan.stream().map(Checkout::orderId).distinct()).hasSize(plan.size());
            assertThat(plan).allSatisfy(c -> assertThat(c.orderId()).matches("[A-Za-z0-9._:-]{1,64}"));
        });
        assertThat(plans.getFirst().getFirst().orderId()).isEqualTo("naive-1-1");
        var all = plans.stream().flatMap(List::stream).toList();
        assertThat(all.stream().filter(Checkout::doubleClick).count() / (double) all.size()).isBetween(0.15, 0.25);
        assertThat(all.stream().filter(c -> c.ending() == Checkout.Ending.CANCEL_BEFORE_CONFIRM).count() / (double) all.size())
                .isBetween(0.07, 0.13);
        assertThat(all.stream().filter(c -> c.ending() == Checkout.Ending.CANCEL_AFTER_CONFIRM).count() / (double) all.size())
                .isBetween(0.07, 0.13);
    }

    @Test
    void theSameSeedGivesTheSamePlan() {
        assertThat(plans(22, 50)).isEqualTo(plans(22, 50)).isNotEqualTo(plans(23, 50));
    }
}
