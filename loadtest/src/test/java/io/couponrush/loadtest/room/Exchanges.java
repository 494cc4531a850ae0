package io.couponrush.loadtest.room;

/** Exchanges for the tests, written the way a log reads. */
final class Exchanges {

    private Exchanges() {
    }

    static Exchange waiting(Exchange.Kind kind, long sent, long answered, long retryAfter, long estimate, boolean positioned) {
        return new Exchange(kind, sent, answered, kind == Exchange.Kind.JOIN ? 201 : 200, kind == Exchange.Kind.JOIN ? "201" : "200",
                "WAITING", retryAfter, Exchange.NONE, estimate, positioned, -1);
    }

    static Exchange joined(long sent, long answered, long retryAfter, long estimate) {
        return waiting(Exchange.Kind.JOIN, sent, answered, retryAfter, estimate, true);
    }

    static Exchange look(long sent, long answered, String state) {
        return new Exchange(Exchange.Kind.POLL, sent, answered, 200, "200", state, "ADMITTED".equals(state) ? 5 : 0, Exchange.NONE,
                -1, false, "ADMITTED".equals(state) || "ISSUED".equals(state) ? 1_000_000 + answered : -1);
    }

    static Exchange press(long sent, long answered, int status, String code) {
        return new Exchange(Exchange.Kind.PRESS, sent, answered, status, code, status == 201 ? "ISSUED" : null, 0,
                status == 201 ? 7_000 + sent : Exchange.NONE, -1, false, -1);
    }

    static Exchange busy(Exchange.Kind kind, long sent, long answered, long retryAfter) {
        return new Exchange(kind, sent, answered, 503, "OVERLOADED", null, retryAfter, Exchange.NONE, -1, false, -1);
    }
}
