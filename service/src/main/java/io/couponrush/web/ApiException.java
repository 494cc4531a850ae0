package io.couponrush.web;

/** A request that cannot be served, with the problem code it is answered with. */
public class ApiException extends RuntimeException {

    private final ErrorCode code;
    private final String field;
    private final long retryAfterSeconds;

    public ApiException(ErrorCode code, String detail) {
        this(code, detail, null, 0);
    }

    private ApiException(ErrorCode code, String detail, String field, long retryAfterSeconds) {
        super(detail, null, false, false);
        this.code = code;
        this.field = field;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** A {@code 503 OVERLOADED} that tells the client when to come back ({@code Retry-After}, whole seconds, at least 1). */
    public static ApiException overloaded(String detail, long retryAfterSeconds) {
        return new ApiException(ErrorCode.OVERLOADED, detail, null, Math.max(1, retryAfterSeconds));
    }

    /** A VALIDATION_FAILED that names the field, as bean validation failures do. */
    public static ApiException invalidField(String field, String message) {
        return new ApiException(ErrorCode.VALIDATION_FAILED, field + ": " + message, field, 0);
    }

    /** The offending request field, or {@code null}. */
    public String field() {
        return field;
    }

    /** The {@code Retry-After} this answer carries, in seconds, or 0 for the code's default. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public ErrorCode code() {
        return code;
    }
}
