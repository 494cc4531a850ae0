package io.couponrush.loadtest.room;

/**
 * One request of one person of the crowd and its answer, as the client saw it.
 *
 * @param sentMillis           when the person wanted to send it, milliseconds since the opening (negative before);
 *                             a wait for a free connection of the proxy's pool counts in its latency
 * @param answeredMillis       when its answer (or the failure) came
 * @param status               the HTTP status, 0 without an answer
 * @param code                 {@code "201"}/{@code "200"}, the problem's {@code code}, {@code HTTP_<status>} for an
 *                             error without one, {@link #NO_ANSWER} or {@link #CUT_OFF}
 * @param state                the place's {@code state} the answer carried (a join, a look, a refused press), else
 *                             {@code null}; a granted press reads {@code ISSUED}
 * @param retryAfterSeconds    the answer's {@code Retry-After}, 0 without one
 * @param userCouponId         a 201 press's grant, else {@link #NONE}
 * @param estimatedWaitSeconds the place's {@code estimatedWaitSeconds}, or -1
 * @param positioned           the place had a {@code position} (a raffle's entrant has none before the draw)
 * @param admittedAtMillis     the place's {@code admittedAt}, epoch milliseconds, or -1
 */
record Exchange(Kind kind, long sentMillis, long answeredMillis, int status, String code, String state,
        long retryAfterSeconds, long userCouponId, long estimatedWaitSeconds, boolean positioned, long admittedAtMillis) {

    static final long NONE = -1;
    /** A connection error or a client timeout: nothing says what the service did. */
    static final String NO_ANSWER = "NO_ANSWER";
    /** Still waiting when the case's time bound struck. */
    static final String CUT_OFF = "CUT_OFF";

    enum Kind {
        /** {@code POST /api/v1/coupons/{id}/queue}. */
        JOIN("join"),
        /** {@code GET /api/v1/coupons/{id}/queue/me}. */
        POLL("poll"),
        /** {@code POST /api/v1/coupons/{id}/issue}. */
        PRESS("press");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }
    }

    static Exchange failed(Kind kind, long sent, long answered, String why) {
        return new Exchange(kind, sent, answered, 0, why, null, 0, NONE, -1, false, -1);
    }

    long latencyMillis() {
        return answeredMillis - sentMillis;
    }

    boolean ok() {
        return status >= 200 && status < 300;
    }

    /** "Not now" (503, 429) or no answer at all: the same request again later. */
    boolean comeBackLater() {
        return status == 503 || status == 429 || status == 0 && NO_ANSWER.equals(code);
    }

    boolean serverError() {
        return status >= 500;
    }

    /** How a report counts it: {@code 201}, {@code 200 WAITING}, {@code 409 NOT_ADMITTED}, {@code NO_ANSWER}. */
    String label() {
        if (status == 0) {
            return code;
        }
        if (ok()) {
            return state == null || kind == Kind.PRESS ? Integer.toString(status) : status + " " + state;
        }
        return code.equals(Integer.toString(status)) ? code : status + " " + code;
    }
}
