package io.couponrush.issuance;

import java.net.URI;
import java.time.Clock;

import io.couponrush.web.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import io.couponrush.web.ErrorCode;
import io.couponrush.web.Problems;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

@RestController
class IssuanceController {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final int MAX_KEY_LENGTH = 255;

    private static final Logger log = LoggerFactory.getLogger(IssuanceController.class);

    private final IssuanceService issuance;
    private final Clock clock;

    IssuanceController(IssuanceService issuance, Clock clock) {
        this.issuance = issuance;
        this.clock = clock;
    }

    /**
     * The user is the token's subject, never a request parameter. An optional {@code Idempotency-Key}
     * (1–255 visible ASCII characters, optionally a quoted structured-field string) makes a retry
     * answer the original grant instead of taking another copy.
     */
    @ApiResponse(responseCode = "201", description = "A copy was granted; Location is /api/v1/users/me/coupons/{userCouponId}",
            content = @Content(schema = @Schema(implementation = IssuedCoupon.class)))
    @PostMapping("/api/v1/coupons/{id}/issue")
    ResponseEntity<?> issue(@PathVariable long id, @AuthenticationPrincipal Jwt jwt,
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey, HttpServletRequest http) {
        var request = new IssueRequest(Long.parseLong(jwt.getSubject()), idempotencyKey(idempotencyKey),
                ArrivalStamp.of(http, clock));
        return toHttp(issuance.issue(id, request), id, http.getRequestURI());
    }

    /** {@code null} when absent; a 400 problem when present but not a usable key. */
    static String idempotencyKey(String header) {
        if (header == null) {
            return null;
        }
        var key = header.strip();
        if (key.length() >= 2 && key.startsWith("\"") && key.endsWith("\"")) {
            key = key.substring(1, key.length() - 1); // RFC 8941 sf-string form
        }
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw ApiException.invalidField(IDEMPOTENCY_KEY,
                    "must be 1 to " + MAX_KEY_LENGTH + " visible ASCII characters");
        }
        return key;
    }

    /**
     * The one place an outcome becomes HTTP. The two refusals a sale gives by the thousand per second
     * are written as bytes directly ({@link Problems#fastResponse}), the same JSON without a
     * ProblemDetail and a message converter each.
     */
    static ResponseEntity<?> toHttp(IssueOutcome outcome, long couponId, String instance) {
        return switch (outcome) {
            case IssueOutcome.Issued(var coupon, var replayed) -> {
                var created = ResponseEntity.created(URI.create("/api/v1/users/me/coupons/" + coupon.userCouponId()));
                if (replayed) {
                    created.header("Idempotent-Replayed", "true");
                }
                yield created.body(coupon);
            }
            case IssueOutcome.SoldOut _ -> Problems.fastResponse(ErrorCode.COUPON_SOLD_OUT,
                    "Coupon " + couponId + " has no copies left", instance);
            case IssueOutcome.AlreadyIssued(var holding) -> Problems.fastResponse(ErrorCode.ALREADY_ISSUED,
                    "You hold " + holding.copies() + (holding.copies() == 1 ? " copy" : " copies") + " of coupon "
                            + couponId + " and this request got no other", instance,
                    // a string, as every 64-bit id in an answer (see web/JsonIds)
                    "userCouponId", Long.toString(holding.latest().userCouponId()),
                    "issuedAt", holding.latest().issuedAt(), "copiesHeld", holding.copies());
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
                    "Too busy to settle this request, or a backing server is down; nothing was issued");
            case IssueOutcome.Unsettled _ -> Problems.response(ErrorCode.OVERLOADED,
                    "The database connection broke while this request was being committed, so whether it got a "
                            + "copy is not known; ask again (with the same Idempotency-Key) to learn the outcome");
            case IssueOutcome.KeyReused(var other) -> Problems.response(ErrorCode.IDEMPOTENCY_KEY_REUSED,
                    "This Idempotency-Key was already used for coupon " + other + "; use a new key per request");
            case IssueOutcome.NotAdmitted(var place) -> {
                var problem = io.couponrush.web.Problems.of(ErrorCode.NOT_ADMITTED, place.detail());
                problem.setProperty("state", place.state());
                place.members().forEach(problem::setProperty);
                var answer = ResponseEntity.status(ErrorCode.NOT_ADMITTED.status())
                        .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON);
                if (place.retryAfterSeconds() > 0) {
                    answer.header(org.springframework.http.HttpHeaders.RETRY_AFTER, Long.toString(place.retryAfterSeconds()));
                }
                yield answer.body(problem);
            }
            case IssueOutcome.Failed(var reason) -> {
                // the reason names exception classes: for the log, not for the client
                log.warn("Issue of coupon {} failed: {}", couponId, reason);
                yield Problems.response(ErrorCode.INTERNAL_ERROR, "The issue was rolled back; nothing was issued");
            }
        };
    }
}
