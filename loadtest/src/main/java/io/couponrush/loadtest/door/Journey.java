package io.couponrush.loadtest.door;

import java.util.List;

/**
 * Everything one member of the crowd sent and got back, in order: the press with the expired token, the
 * renewal, the press again, and any waits' retries.
 *
 * @param member       its index in the crowd (also its launch order)
 * @param launchMillis when its first press was due, milliseconds since the opening
 */
record Journey(int member, long launchMillis, List<Step> steps) {

    Journey {
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a journey starts with a press");
        }
    }

    Step last() {
        return steps.getLast();
    }

    /**
     * The member knows the outcome of its press: it ended on a press answered 201 or 409 (sold out,
     * already issued, …), not on a renewal or a "come back later" it no longer waited for.
     */
    boolean decided() {
        var last = last();
        return last.kind() == Step.Kind.PRESS && (last.status() == 201 || last.status() == 409);
    }

    long endMillis() {
        return last().answeredMillis();
    }

    /** From its own first press to its last answer. */
    long waitedMillis() {
        return endMillis() - launchMillis;
    }

    /** Its final answer as the report counts it: {@code 201}, or where it stopped, e.g. {@code login 503 OVERLOADED}. */
    String outcome() {
        var last = last();
        return decided() ? last.label() : last.kind().label() + " " + last.label();
    }
}
