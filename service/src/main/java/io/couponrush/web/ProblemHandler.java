package io.couponrush.web;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

import io.couponrush.infra.Dependencies;
import jakarta.validation.ConstraintViolationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.databind.DatabindException;

/** Maps every failure to problem+json with a stable {@code code}; no stack trace ever leaves. */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    private final Dependencies dependencies;

    ProblemHandler(Dependencies dependencies) {
        this.dependencies = dependencies;
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> api(ApiException e) {
        var response = e.retryAfterSeconds() > 0
                ? Problems.response(e.code(), e.getMessage(), e.retryAfterSeconds())
                : Problems.response(e.code(), e.getMessage());
        if (e.field() != null) {
            response.getBody().setProperty("errors", List.of(Map.of("field", e.field(), "message", e.getMessage())));
        }
        return response;
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e) {
        var problem = Problems.of(ErrorCode.VALIDATION_FAILED, "'" + e.getName() + "' has an invalid value");
        problem.setProperty("errors", List.of(Map.of("field", e.getName(), "message", "invalid value")));
        return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<ProblemDetail> constraint(ConstraintViolationException e) {
        var errors = e.getConstraintViolations().stream()
                .map(v -> Map.of("field", v.getPropertyPath().toString(), "message", v.getMessage()))
                .sorted(Comparator.comparing(m -> m.get("field")))
                .toList();
        var problem = Problems.of(ErrorCode.VALIDATION_FAILED, "Request has invalid fields");
        problem.setProperty("errors", errors);
        return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    @ExceptionHandler({CannotGetJdbcConnectionException.class, CannotCreateTransactionException.class,
            DataAccessResourceFailureException.class, QueryTimeoutException.class,
            TransientDataAccessResourceException.class, Dependencies.Unavailable.class,
            org.springframework.dao.PessimisticLockingFailureException.class})
    ResponseEntity<ProblemDetail> overloaded(Exception e) {
        log.warn("Answering OVERLOADED: {}", e.getMessage());
        dependencies.failed(e);
        return Problems.response(ErrorCode.OVERLOADED, "A backing server did not answer in time; try again");
    }

    @ExceptionHandler({AccessDeniedException.class, AuthenticationException.class})
    void security(RuntimeException e) {
        // Let Spring Security's ExceptionTranslationFilter answer, with our entry point and handler.
        throw e;
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        log.error("Unexpected error", e);
        return Problems.response(ErrorCode.INTERNAL_ERROR, "Unexpected error");
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        var errors = e.getBindingResult().getFieldErrors().stream()
                .map(f -> Map.of("field", f.getField(), "message", String.valueOf(f.getDefaultMessage())))
                .sorted(Comparator.comparing(m -> m.get("field")))
                .toList();
        var globals = e.getBindingResult().getGlobalErrors().stream()
                .map(g -> Map.of("field", g.getObjectName(), "message", String.valueOf(g.getDefaultMessage())))
                .toList();
        var problem = Problems.of(ErrorCode.VALIDATION_FAILED, "Request has invalid fields");
        problem.setProperty("errors", java.util.stream.Stream.concat(errors.stream(), globals.stream()).toList());
        return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        var errors = e.getParameterValidationResults().stream()
                .flatMap(r -> r.getResolvableErrors().stream().map(err -> Map.of(
                        "field", String.valueOf(r.getMethodParameter().getParameterName()),
                        "message", String.valueOf(err.getDefaultMessage()))))
                .toList();
        var problem = Problems.of(ErrorCode.VALIDATION_FAILED, "Request has invalid parameters");
        problem.setProperty("errors", errors);
        return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    /** {@code items[0].name}: the JSON path, without the Java class names Jackson's own reference has. */
    private static String fieldPath(DatabindException e) {
        var path = new StringBuilder();
        for (var reference : e.getPath()) {
            if (reference.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static Throwable causedBy(Throwable e, Class<? extends Throwable> type) {
        for (var cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (type.isInstance(cause)) {
                return cause;
            }
        }
        return null;
    }

    /** Everything Spring MVC itself rejects (404, 405, 415, unreadable JSON, …) gets a code too. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception e, Object body, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        if (causedBy(e, BodyLimitFilter.BodyTooLarge.class) != null) {
            var problem = Problems.of(ErrorCode.PAYLOAD_TOO_LARGE, "Request body is over the size limit");
            var out = new HttpHeaders();
            out.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
            return new ResponseEntity<>(problem, out, ErrorCode.PAYLOAD_TOO_LARGE.status());
        }
        var code = switch (e) {
            case NoResourceFoundException _ -> ErrorCode.NOT_FOUND;
            case HttpRequestMethodNotSupportedException _ -> ErrorCode.METHOD_NOT_ALLOWED;
            case HttpMediaTypeNotSupportedException _ -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            case HttpMediaTypeNotAcceptableException _ -> ErrorCode.NOT_ACCEPTABLE;
            case HttpMessageNotReadableException _ -> ErrorCode.MALFORMED_REQUEST;
            default -> status.is4xxClientError() ? ErrorCode.VALIDATION_FAILED : ErrorCode.INTERNAL_ERROR;
        };
        var problem = Problems.of(code, switch (code) {
            case MALFORMED_REQUEST -> "Request body is missing or is not valid JSON for this endpoint";
            case INTERNAL_ERROR -> "Unexpected error";
            default -> body instanceof ProblemDetail p && p.getDetail() != null ? p.getDetail() : code.title();
        });
        problem.setStatus(status.value());
        if (code == ErrorCode.MALFORMED_REQUEST
                && causedBy(e, DatabindException.class) instanceof DatabindException mismatch
                && !mismatch.getPath().isEmpty()) {
            // Names the field (a string where a number belongs, 1.9 for an integer, …), never the Java type.
            problem.setProperty("errors", List.of(Map.of("field", fieldPath(mismatch), "message",
                    "has the wrong type or format")));
        }
        if (status.is5xxServerError()) {
            log.error("Unexpected error", e);
        }
        var out = new HttpHeaders();
        out.putAll(headers);
        out.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return new ResponseEntity<>(problem, out, status);
    }
}
