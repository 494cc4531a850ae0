package io.couponrush.loadtest.door;

/**
 * One request of one member of the crowd, as the client saw it.
 *
 * @param sentMillis        when it was sent, milliseconds since the opening
 * @param answeredMillis    when its answer (or the failure) came
 * @param status            the HTTP status, 0 without an answer
 * @param code              {@code "201"}/{@code "200"}, the problem's {@code code}, {@code HTTP_<status>} for
 *                          an answer without one, {@link #NO_ANSWER} or {@link #CUT_OFF}
 * @param retryAfterSeconds the answer's {@code Retry-After}, 0 without one
 * @param userCouponId      a 201's grant id, else {@link #NONE}
 */
record Step(Kind kind, long sentMillis, long answeredMillis, int status, String code, long retryAfterSeconds,
        long userCouponId) {

    static final long NONE = -1;
    /** A connection error or a client timeout: nothing says what the service did. */
    static final String NO_ANSWER = "NO_ANSWER";
    /** Still waiting when the case's time bound struck. */
    static final String CUT_OFF = "CUT_OFF";

    enum Kind {
        /** The issue request: {@code POST /api/v1/coupons/{id}/issue}. */
        PRESS("press"),
        REFRESH("refresh"),
        LOGIN("login");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }
    }

    static Step answered(Kind kind, long sent, long answered, int status, String code, long retryAfterSeconds,
            long userCouponId) {
        return new Step(kind, sent, answered, status, code, retryAfterSeconds, userCouponId);
    }

    static Step failed(Kind kind, long sent, long answered, String why) {
        return new Step(kind, sent, answered, 0, why, 0, NONE);
    }

    long latencyMillis() {
        return answeredMillis - sentMillis;
    }

    boolean ok() {
        return status == 200 || status == 201;
    }

    /** "Not now": the service says when to come back. */
    boolean comeBackLater() {
        return status == 503 || status == 429;
    }

    /** How a report counts it: {@code 201}, {@code 409 COUPON_SOLD_OUT}, {@code NO_ANSWER}. */
    String label() {
        if (status == 0) {
            return code;
        }
        return code.equals(Integer.toString(status)) ? code : status + " " + code;
    }
}
