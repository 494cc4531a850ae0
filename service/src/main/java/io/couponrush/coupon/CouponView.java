package io.couponrush.coupon;

import java.time.Instant;
import java.util.List;

public record CouponView(long id, String name, String description, long discountAmount, int totalQuantity,
        int remaining, int perUserLimit, Instant issueStartsAt, Instant issueEndsAt, Strategy strategy,
        Instant createdAt) {

    static CouponView of(Coupon c) {
        return new CouponView(c.getId(), c.getName(), c.getDescription(), c.getDiscountAmount(),
                c.getTotalQuantity(), c.getRemaining(), c.getPerUserLimit(), c.getIssueStartsAt(),
                c.getIssueEndsAt(), c.getStrategy(), c.getCreatedAt());
    }

    public record Page(List<CouponView> items, int page, int size, long totalItems) {
    }
}
