package io.couponrush.web;

import org.springframework.http.HttpStatus;

/** Every machine-readable {@code code} a problem answer can carry, with its HTTP status. */
public enum ErrorCode {
    COUPON_SOLD_OUT(HttpStatus.CONFLICT, "Coupon sold out"),
    ALREADY_ISSUED(HttpStatus.CONFLICT, "Coupon already issued to this user"),
    ISSUE_NOT_OPEN(HttpStatus.CONFLICT, "Issuing has not started yet"),
    ISSUE_CLOSED(HttpStatus.CONFLICT, "Issuing has ended"),
    COUPON_NOT_FOUND(HttpStatus.NOT_FOUND, "Coupon not found"),
    LOCK_TIMEOUT(HttpStatus.CONFLICT, "Timed out waiting for the coupon lock"),
    CONTENTION(HttpStatus.CONFLICT, "Too much contention on the coupon, try again"),
    OVERLOADED(HttpStatus.SERVICE_UNAVAILABLE, "Service overloaded, try again"),
    IDEMPOTENCY_KEY_REUSED(HttpStatus.UNPROCESSABLE_CONTENT, "Idempotency-Key reused for another request"),
    VALIDATION_FAILED(HttpStatus.BAD_REQUEST, "Request is not valid"),
    MALFORMED_REQUEST(HttpStatus.BAD_REQUEST, "Request body is not readable JSON"),
    UNSAFE_STRATEGY_DISABLED(HttpStatus.BAD_REQUEST, "Unsafe strategy is disabled"),
    EMAIL_TAKEN(HttpStatus.CONFLICT, "Email already registered"),
    BAD_CREDENTIALS(HttpStatus.UNAUTHORIZED, "Email or password is wrong"),
    USER_NOT_FOUND(HttpStatus.NOT_FOUND, "User not found"),
    UNAUTHORIZED(HttpStatus.UNAUTHORIZED, "Authentication required"),
    FORBIDDEN(HttpStatus.FORBIDDEN, "Not allowed"),
    NOT_FOUND(HttpStatus.NOT_FOUND, "No such resource"),
    METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed"),
    UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type"),
    NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE, "Not acceptable"),
    INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error"),
    RATE_LIMITED(HttpStatus.TOO_MANY_REQUESTS, "Too many requests"),
    PAYLOAD_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "Request body is too large"),
    REQUEST_REJECTED(HttpStatus.BAD_REQUEST, "Request is malformed"),
    TOKEN_REVOKED(HttpStatus.UNAUTHORIZED, "Token revoked, log in again"),
    REFRESH_TOKEN_INVALID(HttpStatus.UNAUTHORIZED, "Refresh token not valid, log in again"),
    REFRESH_TOKEN_REUSED(HttpStatus.UNAUTHORIZED, "Refresh token used twice, its session has ended; log in again"),
    LAST_ADMIN(HttpStatus.CONFLICT, "The last admin cannot be demoted"),
    NOT_ADMITTED(HttpStatus.CONFLICT, "Not admitted from the waiting room (yet)"),
    NOT_IN_LINE(HttpStatus.NOT_FOUND, "Not in this coupon's line"),
    NO_WAITING_ROOM(HttpStatus.CONFLICT, "This coupon has no waiting room"),
    LINE_NOT_OPEN(HttpStatus.CONFLICT, "The line has not opened yet"),
    DRAW_NOT_MADE(HttpStatus.CONFLICT, "The raffle is drawn when the window opens"),
    TERMS_LOCKED(HttpStatus.CONFLICT, "Copies are issued: the terms are fixed"),
    COPY_NOT_FOUND(HttpStatus.NOT_FOUND, "No such copy"),
    NOT_HOLDER(HttpStatus.CONFLICT, "The copy is not this shopper's"),
    ALREADY_USED(HttpStatus.CONFLICT, "The copy was used"),
    RESERVED_BY_ANOTHER_ORDER(HttpStatus.CONFLICT, "The copy is held for another order"),
    COPY_EXPIRED(HttpStatus.CONFLICT, "The copy has expired"),
    BELOW_MINIMUM_ORDER(HttpStatus.UNPROCESSABLE_CONTENT, "The order is below the coupon's minimum"),
    NOT_RESERVED(HttpStatus.CONFLICT, "The copy is not held for this order"),
    HOLD_LAPSED(HttpStatus.CONFLICT, "The hold lapsed before the confirmation");

    private final HttpStatus status;
    private final String title;

    ErrorCode(HttpStatus status, String title) {
        this.status = status;
        this.title = title;
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }
}
