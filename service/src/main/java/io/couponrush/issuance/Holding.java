package io.couponrush.issuance;

/**
 * What one user holds of one coupon, as committed in the database.
 *
 * @param copies    committed copies, at least 1
 * @param latest    the newest of them
 * @param latestKey the {@code Idempotency-Key} the newest was granted under, or {@code null}
 */
public record Holding(int copies, IssuedCoupon latest, String latestKey) {

    /** One more copy on top of this holding ({@code null} means none yet). */
    public static Holding plus(Holding before, IssuedCoupon granted, String key) {
        return new Holding(before == null ? 1 : before.copies() + 1, granted, key);
    }
}
