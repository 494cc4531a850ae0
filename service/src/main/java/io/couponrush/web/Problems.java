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
