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
        var response = ResponseEntity.status(code.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (code.status().value() == 401) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer"); // every 401 names its scheme (RFC 9110)
        }
        if (code == ErrorCode.OVERLOADED) {
            response.header(HttpHeaders.RETRY_AFTER, "1"); // nothing was written: trying again is safe
        }
        return response.body(of(code, detail));
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
