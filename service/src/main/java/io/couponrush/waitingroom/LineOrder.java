package io.couponrush.waitingroom;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.couponrush.coupon.CouponTerms;
import io.couponrush.coupon.WaitingRoom;

/**
 * The order of a line, as one number per person (a sorted set's score): lower is earlier. Every instance
 * computes it the same way from what the database keeps, so Redis can lose the line and get it back.
 *
 * <ul>
 *   <li>Arrival: {@code 1 + microseconds from the line's opening to the person's arrival stamp}.</li>
 *   <li>Raffle: whoever arrived before the window opens scores in {@code [0, 1)}: the first 53 bits of
 *       {@code HMAC-SHA256(seed, "couponrush-raffle:<couponId>:<userId>")} as a fraction. The seed is secret
 *       until the opening and its SHA-256 is published from creation, so nobody (the operator included)
 *       can know or choose the order before it is drawn, and anyone can recompute it after: sort the
 *       entrants by that HMAC, ascending. An early click or a fast connection buys nothing.</li>
 * </ul>
 */
public final class LineOrder {

    static final double ARRIVALS = 1.0;
    private static final double FRACTION = 1.0 / (1L << 53);

    private LineOrder() {
    }

    static double score(CouponTerms coupon, long userId, Instant joinedAt) {
        var room = coupon.room();
        if (room.mode() == WaitingRoom.Mode.RAFFLE && joinedAt.isBefore(coupon.startsAt())) {
            return drawFraction(room.seed(), coupon.id(), userId);
        }
        return ARRIVALS + Duration.between(room.lineOpensAt(), joinedAt).toNanos() / 1_000L;
    }

    static boolean inDraw(CouponTerms coupon, Instant joinedAt) {
        return coupon.room().mode() == WaitingRoom.Mode.RAFFLE && joinedAt.isBefore(coupon.startsAt());
    }

    /** The draw's key of one entrant: what anyone sorts the entrants by to check the raffle. */
    public static byte[] drawKey(byte[] seed, long couponId, long userId) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(seed, "HmacSHA256"));
            return mac.doFinal(("couponrush-raffle:" + couponId + ":" + userId).getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static double drawFraction(byte[] seed, long couponId, long userId) {
        return (ByteBuffer.wrap(drawKey(seed, couponId, userId)).getLong() >>> 11) * FRACTION;
    }

    /** The entrants in the draw's order: ascending by their draw key, as unsigned big-endian numbers. */
    public static List<Long> drawOrder(byte[] seed, long couponId, List<Long> entrants) {
        return entrants.stream()
                .sorted(Comparator.comparing((Long user) -> drawKey(seed, couponId, user), java.util.Arrays::compareUnsigned)
                        .thenComparing(user -> Long.toString(user)))
                .toList();
    }
}
