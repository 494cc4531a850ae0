package io.couponrush.coupon;

import java.time.Instant;

import io.couponrush.web.PrintableText;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

public final class CouponRequests {

    static final int MAX_QUANTITY = 10_000_000;
    static final int MAX_PER_USER_LIMIT = 1_000;
    /** Sub-gates of one coupon: 64 spread one coupon's gate over as many masters as any sale needs (docs/capacity.md). */
    static final int MAX_SUB_GATES = CouponTerms.MAX_SUB_GATES;
    /** Amounts are in the currency's smallest unit: a trillion of them is more than any order. */
    static final long MAX_AMOUNT = 1_000_000_000_000L;

    private CouponRequests() {
    }

    /**
     * @param perUserLimit copies one user may hold, default 1; 0 = unlimited (the seeds' load tests
     *                     issued thousands of copies to one account)
     * @param strategy     optional; defaults to {@code couponrush.issuance.default-strategy}
     * @param subGates     {@code redis-gate} only, default 1: split the coupon's gate into this many gates in
     *                     different hash slots (so on different Redis Cluster masters), for a coupon asked for
     *                     faster than one shard answers (docs/capacity.md)
     */
    public record Create(
            @NotBlank @Size(max = 100) @PrintableText String name,
            @Size(max = 500) @PrintableText(multiline = true, optional = true) String description,
            @Min(1) @Max(MAX_AMOUNT) Long discountAmount,
            @NotNull @Min(1) @Max(MAX_QUANTITY) Integer totalQuantity,
            @Min(0) @Max(MAX_PER_USER_LIMIT) Integer perUserLimit,
            @NotNull @SupportedInstant Instant issueStartsAt,
            @NotNull @SupportedInstant Instant issueEndsAt,
            @Size(max = 20) String strategy,
            @jakarta.validation.Valid Room waitingRoom,
            @jakarta.validation.constraints.Pattern(regexp = "fixed|percent", message = "must be fixed or percent") String discountType,
            @Min(1) @Max(100) Integer discountPercent,
            @Min(1) @Max(MAX_AMOUNT) Long maxDiscount,
            @Min(0) @Max(MAX_AMOUNT) Long minOrderAmount,
            @SupportedInstant Instant validUntil,
            @Min(1) @Max(3650) Integer validDays,
            @Min(1) @Max(MAX_SUB_GATES) Integer subGates) {

        /** The request of a coupon as the seeds made them: a fixed amount, no minimum, no expiry. */
        public Create(String name, String description, Long discountAmount, Integer totalQuantity, Integer perUserLimit,
                Instant issueStartsAt, Instant issueEndsAt, String strategy, Room waitingRoom) {
            this(name, description, discountAmount, totalQuantity, perUserLimit, issueStartsAt, issueEndsAt, strategy,
                    waitingRoom, null, null, null, null, null, null, null);
        }

        @AssertTrue(message = "a fixed discount needs discountAmount; a percent discount needs discountPercent and maxDiscount, "
                + "and no discountAmount")
        boolean isDiscountComplete() {
            return new Terms(discountType, discountAmount, discountPercent, maxDiscount, minOrderAmount, validUntil, validDays)
                    .isDiscountComplete();
        }

        Terms terms() {
            return new Terms(discountType, discountAmount, discountPercent, maxDiscount, minOrderAmount, validUntil, validDays);
        }

        @AssertTrue(message = "issueStartsAt must be before issueEndsAt")
        boolean isWindowOrdered() {
            return issueStartsAt == null || issueEndsAt == null || issueStartsAt.isBefore(issueEndsAt);
        }

        @AssertTrue(message = "waitingRoom.lineOpensAt must be before issueStartsAt")
        boolean isLineBeforeWindow() {
            return waitingRoom == null || waitingRoom.lineOpensAt() == null || issueStartsAt == null
                    || waitingRoom.lineOpensAt().isBefore(issueStartsAt);
        }
    }

    /**
     * A waiting room for the coupon (leave it out for none).
     *
     * @param mode           {@code fifo} (arrival order) or {@code raffle} (those who joined before the window are
     *                       shuffled by a committed, later revealed seed; then arrival)
     * @param lineOpensAt    when people may start joining; default 10 minutes before {@code issueStartsAt}
     * @param admitPerSecond people admitted per second across all instances; leave it out for {@code auto}
     *                       (as many as there are copies no admitted person is still pressing for)
     * @param turnSeconds    how long an admitted person may press before the turn lapses; default 120
     */
    public record Room(
            @NotNull @jakarta.validation.constraints.Pattern(regexp = "fifo|raffle", message = "must be fifo or raffle") String mode,
            @SupportedInstant Instant lineOpensAt,
            @jakarta.validation.constraints.DecimalMin("0.1") @jakarta.validation.constraints.DecimalMax("100000") Double admitPerSecond,
            @Min(10) @Max(3600) Integer turnSeconds) {
    }

    /**
     * What a copy is worth at checkout ({@code PUT /api/v1/coupons/{id}/terms}, or in the creation request).
     * Fields left out: a fixed discount, no minimum order, no expiry.
     *
     * @param discountType    {@code fixed} (default: {@code discountAmount} off) or {@code percent}
     *                        ({@code discountPercent} of the order, at most {@code maxDiscount})
     * @param minOrderAmount  orders below it cannot use a copy
     * @param validUntil      copies expire then
     * @param validDays       copies expire this many days after each was issued (with validUntil: whichever is first)
     */
    public record Terms(
            @jakarta.validation.constraints.Pattern(regexp = "fixed|percent", message = "must be fixed or percent") String discountType,
            @Min(1) @Max(MAX_AMOUNT) Long discountAmount,
            @Min(1) @Max(100) Integer discountPercent,
            @Min(1) @Max(MAX_AMOUNT) Long maxDiscount,
            @Min(0) @Max(MAX_AMOUNT) Long minOrderAmount,
            @SupportedInstant Instant validUntil,
            @Min(1) @Max(3650) Integer validDays) {

        boolean percent() {
            return "percent".equals(discountType);
        }

        @AssertTrue(message = "a fixed discount needs discountAmount; a percent discount needs discountPercent and maxDiscount, "
                + "and no discountAmount")
        boolean isDiscountComplete() {
            return percent() ? discountPercent != null && maxDiscount != null && discountAmount == null
                    : discountAmount != null && discountPercent == null && maxDiscount == null;
        }

        RedemptionTerms toTerms() {
            return percent()
                    ? new RedemptionTerms(RedemptionTerms.Type.PERCENT, 0, discountPercent, maxDiscount,
                            minOrderAmount == null ? 0 : minOrderAmount, validUntil, validDays)
                    : new RedemptionTerms(RedemptionTerms.Type.FIXED, discountAmount, null, null,
                            minOrderAmount == null ? 0 : minOrderAmount, validUntil, validDays);
        }
    }
}
