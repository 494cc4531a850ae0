package io.couponrush.loadtest.simulation;

import java.util.regex.Pattern;

/** Turns a raw HTTP answer into the outcome code the summary counts. */
public final class Outcomes {

    /** The request failed without any HTTP answer (timeout, connection refused or reset). */
    public static final String NO_RESPONSE = "NO_RESPONSE";

    /** A burst arrival still queued at the generator's front proxy when the run's time limit struck. */
    public static final String NOT_SENT = "NOT_SENT";

    // Regexes rather than a JSON parser: this runs on the generator's hot path for every answer,
    // and both fields are flat scalars in the contract's bodies.
    private static final Pattern CODE = Pattern.compile("\"code\"\\s*:\\s*\"([A-Za-z0-9_.-]+)\"");
    // The service writes ids as JSON strings ("userCouponId":"250297976830820352"); a bare number is
    // read too, so older services still measure.
    private static final Pattern USER_COUPON_ID = Pattern.compile("\"userCouponId\"\\s*:\\s*\"?(\\d{1,19})\"?");

    private Outcomes() {
    }

    /**
     * @param status HTTP status, or null when no answer arrived
     * @param body   response body, possibly null
     */
    public static String classify(Integer status, String body) {
        if (status == null) {
            return NO_RESPONSE;
        }
        if (status >= 200 && status < 300) {
            return Integer.toString(status);
        }
        if (body != null) {
            var matcher = CODE.matcher(body);
            if (matcher.find()) {
                return matcher.group(1);
            }
        }
        return "HTTP_" + status;
    }

    /** The {@code userCouponId} of a 201 body, or {@link Answer#NONE}. */
    public static long userCouponId(Integer status, String body) {
        if (status == null || status != 201 || body == null) {
            return Answer.NONE;
        }
        var matcher = USER_COUPON_ID.matcher(body);
        return matcher.find() ? Long.parseLong(matcher.group(1)) : Answer.NONE;
    }

    /** Answers that leave it open whether the request changed anything (no answer, or a 5xx). */
    public static boolean ambiguous(String code) {
        return code.equals(NO_RESPONSE) || code.equals("INTERNAL_ERROR") || code.startsWith("HTTP_5");
    }
}
