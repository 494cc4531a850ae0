package io.couponrush.coupon;

import java.time.Duration;
import java.time.Instant;

/**
 * What a copy is worth at checkout, and until when.
 *
 * @param type            {@code FIXED}: {@code amount} off; {@code PERCENT}: {@code percent} of the order, at most
 *                        {@code maxDiscount}
 * @param minOrderAmount  orders below it cannot use the copy (0: any order)
 * @param validUntil      copies expire then ({@code null}: see {@code validDays})
 * @param validDays       copies expire this many days after they were issued ({@code null}: no expiry, or
 *                        {@code validUntil})
 */
public record RedemptionTerms(Type type, long amount, Integer percent, Long maxDiscount, long minOrderAmount,
        Instant validUntil, Integer validDays) {

    public enum Type { FIXED, PERCENT }

    /** Where a copy stands: usable ({@code ISSUED}), held for an order, spent, or past its validity. */
    public enum CopyState { ISSUED, RESERVED, USED, EXPIRED }

    /**
     * A copy's state at {@code now} from its row: used wins, then a live hold (a hold whose time passed is no
     * hold), then validity. Computed on every read, so nothing has to mark copies expired or holds lapsed.
     */
    public CopyState stateOf(Instant issuedAt, String orderId, Instant holdUntil, Instant usedAt, Instant now) {
        if (usedAt != null) {
            return CopyState.USED;
        }
        if (orderId != null && holdUntil != null && holdUntil.isAfter(now)) {
            return CopyState.RESERVED;
        }
        var expires = expiresAt(issuedAt);
        return expires != null && !expires.isAfter(now) ? CopyState.EXPIRED : CopyState.ISSUED;
    }

    /** The discount an order of {@code orderAmount} gets: never more than the order itself. */
    public long discountFor(long orderAmount) {
        long discount = switch (type) {
            case FIXED -> amount;
            case PERCENT -> Math.min(Math.multiplyExact(orderAmount, percent) / 100, maxDiscount);
        };
        return Math.min(discount, orderAmount);
    }

    /** When a copy issued at {@code issuedAt} expires, or {@code null} when it does not. */
    public Instant expiresAt(Instant issuedAt) {
        var byDays = validDays == null ? null : issuedAt.plus(Duration.ofDays(validDays));
        if (validUntil == null) {
            return byDays;
        }
        return byDays == null || validUntil.isBefore(byDays) ? validUntil : byDays;
    }
}
