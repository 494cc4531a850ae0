package io.couponrush.web;

import java.io.IOException;
import java.net.URI;

import java.util.LinkedHashMap;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.json.JsonMapper;

/** Builds RFC 9457 answers; the one place a {@link ErrorCode} becomes HTTP. */
public final class Problems {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Problems() {
    }

    public static ProblemDetail of(ErrorCode code, String detail) {
        var problem = ProblemDetail.forStatusAndDetail(code.status(), detail);
        problem.setTitle(code.title());
        problem.setType(URI.create("https://couponrush.io/problems/" + code.name().toLowerCase().replace('_', '-')));
        problem.setProperty("code", code.name());
        return problem;
    }

    public static ResponseEntity<ProblemDetail> response(ErrorCode code, String detail) {
        // OVERLOADED: nothing was written, trying again is safe, and in a second is the default
        return response(code, detail, code == ErrorCode.OVERLOADED ? 1 : 0);
    }

    /** With {@code Retry-After: retryAfterSeconds} when it is positive. */
    public static ResponseEntity<ProblemDetail> response(ErrorCode code, String detail, long retryAfterSeconds) {
        var response = ResponseEntity.status(code.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (code.status().value() == 401) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer"); // every 401 names its scheme (RFC 9110)
        }
        if (retryAfterSeconds > 0) {
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
        }
        return response.body(of(code, detail));
    }

    /**
     * The answer {@link #response} gives, as the bytes Spring MVC would write for it at {@code instance}
     * (the request's URI), built without a {@link ProblemDetail}, a message converter lookup or a
     * chunked body: for the refusals a flash sale answers by the thousand per second. {@code extra}
     * members follow {@code code}, as a ProblemDetail's properties do; their values are strings, numbers
     * or {@link java.time.Instant}s.
     */
    public static ResponseEntity<byte[]> fastResponse(ErrorCode code, String detail, String instance,
            Object... extra) {
        var json = new StringBuilder(256).append("{\"detail\":");
        quote(json, detail).append(",\"instance\":");
        quote(json, instance).append(FIXED.get(code));
        for (int i = 0; i + 1 < extra.length; i += 2) {
            json.append(',');
            quote(json, (String) extra[i]).append(':');
            switch (extra[i + 1]) {
                case Number number -> json.append(number);
                case null -> json.append("null");
                default -> quote(json, extra[i + 1].toString()); // strings, instants (ISO-8601, as Jackson writes them)
            }
        }
        var body = json.append('}').toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        var response = ResponseEntity.status(code.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (code.status().value() == 401) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        if (code == ErrorCode.OVERLOADED) {
            response.header(HttpHeaders.RETRY_AFTER, "1");
        }
        return response.contentLength(body.length).body(body);
    }

    /** Per code, everything after {@code instance}: {@code ,"status":…,"title":…,"type":…,"code":…}. */
    private static final java.util.Map<ErrorCode, String> FIXED = fixedParts();

    private static java.util.Map<ErrorCode, String> fixedParts() {
        var parts = new java.util.EnumMap<ErrorCode, String>(ErrorCode.class);
        for (var code : ErrorCode.values()) {
            var problem = of(code, "");
            var tail = new StringBuilder(",\"status\":").append(code.status().value()).append(",\"title\":");
            quote(tail, problem.getTitle()).append(",\"type\":");
            quote(tail, problem.getType().toString()).append(",\"code\":");
            quote(tail, code.name());
            parts.put(code, tail.toString());
        }
        return parts;
    }

    private static StringBuilder quote(StringBuilder json, String text) {
        json.append('"');
        tools.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(text, json);
        return json.append('"');
    }

    /**
     * The code of an error that was decided only by its status, outside the handlers (the servlet
     * container, the security firewall): the status says all that is known, the text stays generic.
     */
    public static ErrorCode forStatus(int status) {
        return switch (status) {
            case 401 -> ErrorCode.UNAUTHORIZED;
            case 403 -> ErrorCode.FORBIDDEN;
            case 404 -> ErrorCode.NOT_FOUND;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 406 -> ErrorCode.NOT_ACCEPTABLE;
            case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            case 503 -> ErrorCode.OVERLOADED;
            default -> status < 500 ? ErrorCode.REQUEST_REJECTED : ErrorCode.INTERNAL_ERROR;
        };
    }

    /** A problem body as text, for writers that are not Spring's (the servlet container's error report). */
    static String json(ErrorCode code, int status, String detail) {
        var problem = of(code, detail);
        var body = new LinkedHashMap<String, Object>();
        body.put("type", problem.getType().toString());
        body.put("title", problem.getTitle());
        body.put("status", status);
        body.put("detail", detail);
        body.put("code", code.name());
        return JSON.writeValueAsString(body);
    }

    /** For answers written outside Spring MVC (security filters). */
    public static void write(HttpServletRequest request, HttpServletResponse response, ErrorCode code, String detail)
            throws IOException {
        response.setStatus(code.status().value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        if (code.status().value() == 401) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        // The same members Spring MVC writes for a ProblemDetail, with `code` at the top level.
        var problem = of(code, detail);
        var body = new LinkedHashMap<String, Object>();
        body.put("type", problem.getType().toString());
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        body.put("instance", request.getRequestURI());
        body.put("code", code.name());
        JSON.writeValue(response.getOutputStream(), body);
    }
}
