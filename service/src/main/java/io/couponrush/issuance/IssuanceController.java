package io.couponrush.issuance;

import java.net.URI;
import java.util.List;

import io.couponrush.web.ErrorCode;
import io.couponrush.web.Problems;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
class IssuanceController {

    private final IssuanceService issuance;
    private final UserCouponStore userCoupons;

    IssuanceController(IssuanceService issuance, UserCouponStore userCoupons) {
        this.issuance = issuance;
        this.userCoupons = userCoupons;
    }

    /** The user is the token's subject, never a request parameter. */
    @PostMapping("/api/v1/coupons/{id}/issue")
    ResponseEntity<?> issue(@PathVariable long id, @AuthenticationPrincipal Jwt jwt) {
        return toHttp(issuance.issue(id, Long.parseLong(jwt.getSubject())), id);
    }

    @GetMapping("/api/v1/users/me/coupons")
    List<UserCouponStore.HeldCoupon> mine(@AuthenticationPrincipal Jwt jwt) {
        return userCoupons.heldBy(Long.parseLong(jwt.getSubject()));
    }

    /** The one place an outcome becomes HTTP. */
    static ResponseEntity<?> toHttp(IssueOutcome outcome, long couponId) {
        return switch (outcome) {
            case IssueOutcome.Issued(var coupon) -> ResponseEntity
                    .created(URI.create("/api/v1/users/me/coupons/" + coupon.userCouponId()))
                    .body(coupon);
            case IssueOutcome.SoldOut _ -> Problems.response(ErrorCode.COUPON_SOLD_OUT,
                    "Coupon " + couponId + " has no copies left");
            case IssueOutcome.AlreadyIssued _ -> Problems.response(ErrorCode.ALREADY_ISSUED,
                    "You already hold as many copies of coupon " + couponId + " as allowed");
            case IssueOutcome.NotOpen _ -> Problems.response(ErrorCode.ISSUE_NOT_OPEN,
                    "Issuing of coupon " + couponId + " has not started");
            case IssueOutcome.Closed _ -> Problems.response(ErrorCode.ISSUE_CLOSED,
                    "Issuing of coupon " + couponId + " has ended");
            case IssueOutcome.NotFound _ -> Problems.response(ErrorCode.COUPON_NOT_FOUND,
                    "Coupon " + couponId + " not found");
            case IssueOutcome.LockTimeout _ -> Problems.response(ErrorCode.LOCK_TIMEOUT,
                    "Timed out waiting for coupon " + couponId + "; nothing was issued, try again");
            case IssueOutcome.Contention _ -> Problems.response(ErrorCode.CONTENTION,
                    "Too many concurrent issues of coupon " + couponId + "; nothing was issued, try again");
            case IssueOutcome.Overloaded _ -> Problems.response(ErrorCode.OVERLOADED,
                    "Too busy to settle this request; nothing was issued");
            case IssueOutcome.Failed(var reason) -> Problems.response(ErrorCode.INTERNAL_ERROR,
                    "The issue was rolled back (" + reason + "); nothing was issued");
        };
    }
}
