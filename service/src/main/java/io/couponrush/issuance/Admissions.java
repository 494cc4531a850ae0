package io.couponrush.issuance;

import java.time.Instant;
import java.util.Map;

import io.couponrush.coupon.CouponTerms;

/**
 * Who may issue a coupon that has a waiting room: the issue path asks before any strategy runs, and says
 * what came of it. Implemented by the waiting room, which depends on issuing (not the other way round).
 */
public interface Admissions {

    /** Whether this person may issue now; a {@link Place} to answer with when not. */
    Verdict check(CouponTerms coupon, long userId, Instant now);

    /** The person got a copy (or holds one): their turn is used. */
    void used(CouponTerms coupon, long userId);

    /**
     * May issue; or not, with where the person stands; or not because their turn ended and they hold
     * copies, which is all they are answered (I6: a holder hears what it holds, and nothing is written).
     *
     * @param holding what the person holds, when that is the answer; {@code null} otherwise
     */
    record Verdict(boolean admitted, Place place, Holding holding) {

        public static final Verdict ADMITTED = new Verdict(true, null, null);

        public static Verdict notAdmitted(Place place) {
            return new Verdict(false, place, null);
        }

        public static Verdict holds(Holding holding) {
            return new Verdict(false, null, holding);
        }
    }

    /**
     * Where someone stands in a coupon's line, as answered to them (its members are the problem's
     * extension members when an issue is refused).
     *
     * @param retryAfterSeconds when to ask again, or 0 when the state is final
     */
    record Place(String state, String detail, Map<String, Object> members, long retryAfterSeconds) {
    }
}
