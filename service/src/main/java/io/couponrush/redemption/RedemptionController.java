package io.couponrush.redemption;

import io.couponrush.coupon.IssuanceSettings;
import io.couponrush.web.ApiException;
import io.couponrush.web.ErrorCode;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The order system's side of a coupon (HTTP Basic with its client id and secret, see {@link OrderSystems}).
 * The shopper's copy is named by its id ({@code userCouponId}, a string of digits as everywhere) and the
 * shopper by theirs; an order by the order system's own id for it.
 */
@RestController
@RequestMapping("/api/v1/redemptions")
class RedemptionController {

    static final String ORDER_ID = "[A-Za-z0-9._:-]{1,64}";

    private final Redemptions redemptions;
    private final IssuanceSettings issuance;

    RedemptionController(Redemptions redemptions, IssuanceSettings issuance) {
        this.redemptions = redemptions;
        this.issuance = issuance;
    }

    /** Holds the copy for the order and answers its discount; the hold lapses by itself unless confirmed. */
    @PostMapping("/reserve")
    Redemptions.Answer reserve(@Valid @RequestBody Reserve request, java.security.Principal client) {
        return redemptions.reserve(client.getName(), id(request.userCouponId()), id(request.userId()), request.orderId(),
                request.orderAmount(), naive(request.strategy()));
    }

    /** The order is paid: the copy is used. Only the order system that reserved it may confirm. */
    @PostMapping("/confirm")
    Redemptions.Answer confirm(@Valid @RequestBody Order request, java.security.Principal client) {
        return redemptions.confirm(client.getName(), id(request.userCouponId()), request.orderId(), naive(request.strategy()));
    }

    /**
     * The order gives the copy back (released before confirmation, restored after): usable again. Only the order
     * system that reserved it may cancel.
     */
    @PostMapping("/cancel")
    Redemptions.Answer cancel(@Valid @RequestBody Order request, java.security.Principal client) {
        return redemptions.cancel(client.getName(), id(request.userCouponId()), request.orderId());
    }

    private boolean naive(String strategy) {
        if (strategy == null || strategy.equals("conditional")) {
            return false;
        }
        if (!issuance.allowUnsafe()) {
            throw new ApiException(ErrorCode.UNSAFE_STRATEGY_DISABLED, "The naive read-then-update redemption spends a copy twice "
                    + "under concurrency; enable it for demonstrations with couponrush.issuance.allow-unsafe=true");
        }
        return true;
    }

    private static long id(String digits) {
        return Long.parseLong(digits); // validated: 1-19 digits, positive
    }

    /**
     * @param orderAmount the order's total in the currency's smallest unit
     * @param strategy    {@code conditional} (default) or {@code naive} (the read-then-update demonstration; only
     *                    with {@code couponrush.issuance.allow-unsafe})
     */
    record Reserve(@NotNull @Pattern(regexp = "[1-9][0-9]{0,17}", message = "must be a copy id") String userCouponId,
            @NotNull @Pattern(regexp = "[1-9][0-9]{0,17}", message = "must be a user id") String userId,
            @NotNull @Pattern(regexp = ORDER_ID, message = "must be 1-64 of A-Z a-z 0-9 . _ : -") String orderId,
            @NotNull @Min(1) @Max(1_000_000_000_000L) Long orderAmount,
            @Pattern(regexp = "conditional|naive", message = "must be conditional or naive") String strategy) {
    }

    record Order(@NotNull @Pattern(regexp = "[1-9][0-9]{0,17}", message = "must be a copy id") String userCouponId,
            @NotNull @Pattern(regexp = ORDER_ID, message = "must be 1-64 of A-Z a-z 0-9 . _ : -") String orderId,
            @Pattern(regexp = "conditional|naive", message = "must be conditional or naive") String strategy) {
    }
}
