package io.couponrush.loadtest.simulation;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Every answer of the current in-process Gatling run. Gatling's own log keeps status codes
 * and timings but not response bodies, and the audit needs each 201's {@code userCouponId};
 * the runner resets this before a run and drains it after.
 */
public final class Answers {

    private static final ConcurrentLinkedQueue<Answer> ANSWERS = new ConcurrentLinkedQueue<>();

    private Answers() {
    }

    public static void record(Answer answer) {
        ANSWERS.add(answer);
    }

    public static int size() {
        return ANSWERS.size();
    }

    public static void reset() {
        ANSWERS.clear();
    }

    public static List<Answer> drain() {
        var drained = new ArrayList<Answer>(ANSWERS.size());
        Answer next;
        while ((next = ANSWERS.poll()) != null) {
            drained.add(next);
        }
        return drained;
    }
}
