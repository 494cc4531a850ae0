package io.couponrush.loadtest.faults;

/**
 * One request of one client as the client saw it.
 *
 * @param instance     index of the service instance it went to
 * @param sentMillis   when it was sent, in milliseconds since the rush began
 * @param answeredMillis when the answer (or the error) came
 * @param status       the HTTP status, 0 without an answer
 * @param code         {@code "201"}, the problem's {@code code}, {@code HTTP_<status>} for an answer
 *                     without one, or the kind's name without an answer
 * @param userCouponId the grant's id on a 201, else {@link #NONE}
 * @param retryAfterSeconds the {@code Retry-After} of a 503, else 0
 */
public record Attempt(int instance, long sentMillis, long answeredMillis, Kind kind, int status, String code,
                      long userCouponId, long retryAfterSeconds) {

    public static final long NONE = -1;
    public static final String ALREADY_ISSUED = "ALREADY_ISSUED";
    public static final String SOLD_OUT = "COUPON_SOLD_OUT";
    public static final String INTERNAL_ERROR = "INTERNAL_ERROR";

    public enum Kind {
        /** An HTTP answer arrived. */
        ANSWERED,
        /** Refused, reset or closed before an answer: nothing says whether the service acted on it. */
        CONNECTION_ERROR,
        /** No answer within the client timeout. */
        TIMEOUT,
        /** Still waiting when the rush's overall time bound struck. */
        CUT_OFF
    }

    public static Attempt answered(int instance, long sent, long answered, int status, String code, long userCouponId,
                                   long retryAfterSeconds) {
        return new Attempt(instance, sent, answered, Kind.ANSWERED, status, code, userCouponId, retryAfterSeconds);
    }

    public static Attempt failed(int instance, long sent, long answered, Kind kind) {
        if (kind == Kind.ANSWERED) {
            throw new IllegalArgumentException("an answered attempt has a status");
        }
        return new Attempt(instance, sent, answered, kind, 0, kind.name(), NONE, 0);
    }

    public long latencyMillis() {
        return answeredMillis - sentMillis;
    }

    public boolean granted() {
        return status == 201;
    }

    public boolean alreadyIssued() {
        return ALREADY_ISSUED.equals(code);
    }

    public boolean soldOut() {
        return SOLD_OUT.equals(code);
    }

    public boolean internalError() {
        return status == 500 || INTERNAL_ERROR.equals(code);
    }

    /** A 4xx that says "you got nothing" (everything but {@code ALREADY_ISSUED}, which says "you have it"). */
    public boolean definiteRefusal() {
        return status >= 400 && status < 500 && !alreadyIssued();
    }

    /** An outcome the client can act on: a 201, or a problem answer with a code (I5). */
    public boolean defined() {
        return kind == Kind.ANSWERED && (granted() || !code.startsWith("HTTP_"));
    }

    /** The client tries again elsewhere: nothing came back, or the service said "not now" (503). */
    public boolean retryable() {
        return kind == Kind.CONNECTION_ERROR || kind == Kind.TIMEOUT || status == 503;
    }

    /** The client got no answer at all from this instance (as opposed to an answer it did not like). */
    public boolean unreachable() {
        return kind == Kind.CONNECTION_ERROR || kind == Kind.TIMEOUT;
    }
}
