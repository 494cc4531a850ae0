package io.couponrush.loadtest.redemption;

/**
 * One request of an order system and its answer, as the harness saw it.
 *
 * @param copy           the {@code userCouponId}
 * @param instance       the index of the instance it was sent to
 * @param sentMillis     when it was sent (waiting for a free connection included), milliseconds since the storm began
 * @param answeredMillis when its answer (or the failure) came
 * @param status         the HTTP status, 0 without an answer
 * @param code           {@code "200"}, the problem's {@code code}, {@code HTTP_<status>}, or {@link #NO_ANSWER}
 * @param state          a 200's {@code state} ({@code RESERVED}, {@code USED}, {@code ISSUED}), else {@code null}
 * @param holdUntil      a reserve's {@code holdUntil}, epoch milliseconds, or -1
 */
record Call(long copy, String orderId, Op op, int instance, long sentMillis, long answeredMillis, int status, String code,
        String state, long holdUntil) {

    static final String NO_ANSWER = "NO_ANSWER";

    enum Op {
        RESERVE("reserve"),
        CONFIRM("confirm"),
        CANCEL("cancel");

        private final String path;

        Op(String path) {
            this.path = path;
        }

        String path() {
            return "/api/v1/redemptions/" + path;
        }

        String label() {
            return path;
        }
    }

    boolean ok() {
        return status == 200;
    }

    /** No answer, or a 5xx: it is open whether the request changed the copy. */
    boolean ambiguous() {
        return status == 0 || status >= 500;
    }

    long latencyMillis() {
        return answeredMillis - sentMillis;
    }

    /** {@code 200 USED}, {@code 409 RESERVED_BY_ANOTHER_ORDER}, {@code NO_ANSWER}. */
    String label() {
        if (status == 0) {
            return code;
        }
        if (ok()) {
            return state == null ? "200" : "200 " + state;
        }
        return code.equals(Integer.toString(status)) ? code : status + " " + code;
    }
}
