package io.couponrush.issuance;

import java.util.List;

import io.couponrush.web.ApiException;
import io.couponrush.web.ErrorCode;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The caller's own grants. The user is the token's subject, never a parameter: another user's grant
 * id is answered exactly like an id that does not exist (404, not 403), so ids reveal nothing.
 */
@RestController
@RequestMapping("/api/v1/users/me/coupons")
class MyCouponsController {

    private final UserCouponStore userCoupons;

    MyCouponsController(UserCouponStore userCoupons) {
        this.userCoupons = userCoupons;
    }

    /**
     * @param state {@code usable}, {@code used}, {@code expired} or {@code reserved} to list only those; all by default
     */
    @GetMapping
    List<UserCouponStore.HeldCoupon> mine(@AuthenticationPrincipal Jwt jwt,
            @org.springframework.web.bind.annotation.RequestParam(required = false) String state) {
        var all = userCoupons.heldBy(Long.parseLong(jwt.getSubject()));
        if (state == null) {
            return all;
        }
        var wanted = switch (state) {
            case "usable" -> "ISSUED";
            case "used" -> "USED";
            case "expired" -> "EXPIRED";
            case "reserved" -> "RESERVED";
            default -> throw ApiException.invalidField("state", "must be usable, used, expired or reserved");
        };
        return all.stream().filter(c -> c.state().equals(wanted)).toList();
    }

    /** Where a {@code 201}'s {@code Location} points. */
    @GetMapping("/{userCouponId}")
    UserCouponStore.HeldCoupon one(@PathVariable long userCouponId, @AuthenticationPrincipal Jwt jwt) {
        return userCoupons.heldBy(Long.parseLong(jwt.getSubject()), userCouponId)
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "You hold no coupon " + userCouponId));
    }
}
