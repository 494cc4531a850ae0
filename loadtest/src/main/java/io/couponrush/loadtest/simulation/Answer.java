package io.couponrush.loadtest.simulation;

/**
 * One answer the generator saw.
 *
 * @param startMillis  wall clock when the request was sent
 * @param endMillis    wall clock when its answer had been read
 * @param latencyMillis Gatling's response time (or end - start when no response came)
 * @param code         {@code "201"}/{@code "200"}, the problem+json {@code code}, {@code HTTP_<status>} for an
 *                     error without one, or {@link Outcomes#NO_RESPONSE}
 * @param userCouponId the {@code userCouponId} of a 201, otherwise {@link #NONE}
 */
public record Answer(long startMillis, long endMillis, int latencyMillis, String code, long userCouponId) {

    public static final long NONE = -1;

    public boolean granted() {
        return userCouponId != NONE;
    }
}
