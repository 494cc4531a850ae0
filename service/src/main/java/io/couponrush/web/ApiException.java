package io.couponrush.web;

/** A request that cannot be served, with the problem code it is answered with. */
public class ApiException extends RuntimeException {

    private final ErrorCode code;
    private final String field;

    public ApiException(ErrorCode code, String detail) {
        this(code, detail, null);
    }

    private ApiException(ErrorCode code, String detail, String field) {
        super(detail, null, false, false);
        this.code = code;
        this.field = field;
    }

    /** A VALIDATION_FAILED that names the field, as bean validation failures do. */
    public static ApiException invalidField(String field, String message) {
        return new ApiException(ErrorCode.VALIDATION_FAILED, field + ": " + message, field);
    }

    /** The offending request field, or {@code null}. */
    public String field() {
        return field;
    }

    public ErrorCode code() {
        return code;
    }
}
