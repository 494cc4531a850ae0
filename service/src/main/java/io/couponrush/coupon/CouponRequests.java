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

    private CouponRequests() {
    }

    /**
     * @param perUserLimit copies one user may hold, default 1; 0 = unlimited (the seeds' load tests
     *                     issued thousands of copies to one account)
     * @param strategy     optional; defaults to {@code couponrush.issuance.default-strategy}
     */
    public record Create(
            @NotBlank @Size(max = 100) @PrintableText String name,
            @Size(max = 500) @PrintableText(multiline = true, optional = true) String description,
            @NotNull @Min(1) @Max(100_000_000) Long discountAmount,
            @NotNull @Min(1) @Max(MAX_QUANTITY) Integer totalQuantity,
            @Min(0) @Max(MAX_PER_USER_LIMIT) Integer perUserLimit,
            @NotNull @SupportedInstant Instant issueStartsAt,
            @NotNull @SupportedInstant Instant issueEndsAt,
            @Size(max = 20) String strategy) {

        @AssertTrue(message = "issueStartsAt must be before issueEndsAt")
        boolean isWindowOrdered() {
            return issueStartsAt == null || issueEndsAt == null || issueStartsAt.isBefore(issueEndsAt);
        }
    }
}
