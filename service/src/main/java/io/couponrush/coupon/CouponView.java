package io.couponrush.coupon;

import java.time.Instant;
import java.util.List;

public record CouponView(long id, String name, String description, long discountAmount, int totalQuantity,
        int remaining, int perUserLimit, Instant issueStartsAt, Instant issueEndsAt, Strategy strategy,
        Instant createdAt, RoomView waitingRoom, String discountType, Integer discountPercent, Long maxDiscount,
        long minOrderAmount, Instant validUntil, Integer validDays, int subGates) {

    static CouponView of(Coupon c) {
        var terms = c.getRedemptionTerms();
        return new CouponView(c.getId(), c.getName(), c.getDescription(), c.getDiscountAmount(),
                c.getTotalQuantity(), c.getRemaining(), c.getPerUserLimit(), c.getIssueStartsAt(),
                c.getIssueEndsAt(), c.getStrategy(), c.getCreatedAt(), RoomView.of(c.getWaitingRoom()),
                terms.type().name().toLowerCase(java.util.Locale.ROOT), terms.percent(), terms.maxDiscount(), terms.minOrderAmount(),
                terms.validUntil(), terms.validDays(), c.getSubGates());
    }

    /**
     * The waiting room as the public sees it.
     *
     * @param admitRate {@code "auto"} or {@code "fixed"} ({@code admitPerSecond} then says how many)
     * @param seedHash  {@code raffle}: SHA-256 of the draw's seed, in hex, from creation on. The seed itself is
     *                  published by the line ({@code /queue}, {@code /queue/draw}) a margin after the opening, which
     *                  covers the instances' clock skew; it is not here, so no instance shows it sooner
     */
    public record RoomView(String mode, Instant lineOpensAt, String admitRate, Double admitPerSecond, long turnSeconds,
            String seedHash) {

        static RoomView of(WaitingRoom room) {
            return room == null ? null : new RoomView(room.mode().name().toLowerCase(java.util.Locale.ROOT), room.lineOpensAt(),
                    room.auto() ? "auto" : "fixed", room.admitPerSecond(), room.turn().toSeconds(), room.seedHash());
        }
    }

    public record Page(List<CouponView> items, int page, int size, long totalItems) {
    }
}
