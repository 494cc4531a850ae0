package io.couponrush.loadtest.redemption;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * One order trying to spend a copy: reserve, then confirm (or give the copy back). Several run against the
 * same copy at once: two tabs, a retry with a new order, an order system that lost track. A double click sends
 * each of its requests twice at once, with the same order id.
 */
record Checkout(String orderId, boolean doubleClick, Ending ending) {

    enum Ending {
        /** Reserve, confirm. */
        CONFIRM,
        /** Reserve, then cancel before confirming (the shopper left): the copy is released. */
        CANCEL_BEFORE_CONFIRM,
        /** Reserve, confirm, then cancel (the order was cancelled after payment): the copy is restored. */
        CANCEL_AFTER_CONFIRM
    }

    static final int FEWEST = 2;
    static final int MOST = 4;
    static final double CANCEL_BEFORE = 0.1;
    static final double CANCEL_AFTER = 0.1;
    static final double DOUBLE_CLICK = 0.2;

    /** {@value #FEWEST} to {@value #MOST} checkouts of one copy, each with its own order id. */
    static List<Checkout> plan(RandomGenerator random, String tag, long copy) {
        int count = FEWEST + random.nextInt(MOST - FEWEST + 1);
        var checkouts = new ArrayList<Checkout>(count);
        for (int i = 0; i < count; i++) {
            double roll = random.nextDouble();
            var ending = roll < CANCEL_BEFORE ? Ending.CANCEL_BEFORE_CONFIRM
                    : roll < CANCEL_BEFORE + CANCEL_AFTER ? Ending.CANCEL_AFTER_CONFIRM : Ending.CONFIRM;
            checkouts.add(new Checkout(tag + "-" + copy + "-" + (i + 1), random.nextDouble() < DOUBLE_CLICK, ending));
        }
        return checkouts;
    }
}
