package io.couponrush.loadtest.redemption;

/** Calls for the tests, written the way a log reads. */
final class Calls {

    private Calls() {
    }

    static Call reserved(long copy, String order, long sent, long answered) {
        return new Call(copy, order, Call.Op.RESERVE, 0, sent, answered, 200, "200", "RESERVED", 5_000 + sent);
    }

    static Call confirmed(long copy, String order, long sent, long answered) {
        return new Call(copy, order, Call.Op.CONFIRM, 0, sent, answered, 200, "200", "USED", -1);
    }

    static Call cancelled(long copy, String order, long sent, long answered) {
        return new Call(copy, order, Call.Op.CANCEL, 0, sent, answered, 200, "200", "ISSUED", -1);
    }

    static Call refused(long copy, String order, Call.Op op, long sent, long answered, String code) {
        return new Call(copy, order, op, 1, sent, answered, 409, code, null, -1);
    }

    static Call lost(long copy, String order, Call.Op op, long sent, long answered) {
        return new Call(copy, order, op, 1, sent, answered, 0, Call.NO_ANSWER, null, -1);
    }
}
