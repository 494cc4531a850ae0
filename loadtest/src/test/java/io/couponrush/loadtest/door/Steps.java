package io.couponrush.loadtest.door;

import java.util.List;

/** Steps and journeys for the tests, written the way a log reads. */
final class Steps {

    private Steps() {
    }

    static Step press(long sent, long answered, int status, String code) {
        return Step.answered(Step.Kind.PRESS, sent, answered, status, code, 0, status == 201 ? 1_000 + sent : Step.NONE);
    }

    static Step refresh(long sent, long answered, int status, String code) {
        return Step.answered(Step.Kind.REFRESH, sent, answered, status, code, 0, Step.NONE);
    }

    static Step login(long sent, long answered, int status, String code) {
        return Step.answered(Step.Kind.LOGIN, sent, answered, status, code, 0, Step.NONE);
    }

    static Step busy(Step.Kind kind, long sent, long answered, long retryAfterSeconds) {
        return Step.answered(kind, sent, answered, 503, "OVERLOADED", retryAfterSeconds, Step.NONE);
    }

    /** Pressed with an expired token at {@code at}, refreshed, pressed again: {@code code} at {@code end}. */
    static Journey refreshed(int member, long at, long end, int status, String code) {
        return new Journey(member, at, List.of(press(at, at + 2, 401, "UNAUTHORIZED"), refresh(at + 2, at + 5, 200, "200"),
                press(at + 5, end, status, code)));
    }
}
