package io.couponrush.issuance;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

import io.couponrush.web.ApiException;
import io.couponrush.web.ErrorCode;
import org.springframework.jdbc.core.simple.JdbcClient;
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
    private final JdbcClient jdbc;

    MyCouponsController(UserCouponStore userCoupons, JdbcClient jdbc) {
        this.userCoupons = userCoupons;
        this.jdbc = jdbc;
    }

    @GetMapping
    List<UserCouponStore.HeldCoupon> mine(@AuthenticationPrincipal Jwt jwt) {
        return userCoupons.heldBy(Long.parseLong(jwt.getSubject()));
    }

    /** Where a {@code 201}'s {@code Location} points. */
    @GetMapping("/{userCouponId}")
    UserCouponStore.HeldCoupon one(@PathVariable long userCouponId, @AuthenticationPrincipal Jwt jwt) {
        return jdbc.sql("""
                SELECT uc.id, uc.coupon_id, c.name, c.discount_amount, uc.issued_at
                FROM user_coupons uc JOIN coupons c ON c.id = uc.coupon_id
                WHERE uc.id = ? AND uc.user_id = ?
                """)
                .params(userCouponId, Long.parseLong(jwt.getSubject()))
                .query((rs, n) -> new UserCouponStore.HeldCoupon(rs.getLong(1), rs.getLong(2), rs.getString(3),
                        rs.getLong(4), rs.getObject(5, LocalDateTime.class).toInstant(ZoneOffset.UTC)))
                .optional()
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "You hold no coupon " + userCouponId));
    }
}
