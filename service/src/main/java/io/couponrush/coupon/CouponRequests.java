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
            @Size(max = 20) String strategy,
            @jakarta.validation.Valid Room waitingRoom) {

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
}
