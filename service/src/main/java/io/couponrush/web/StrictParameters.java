package io.couponrush.web;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.springframework.beans.BeanUtils;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Query and path parameters are read as the OpenAPI document types them, as request bodies are
 * ({@link StrictJson}); what Spring would otherwise guess at is refused with {@code 400 VALIDATION_FAILED}
 * naming the parameter, before the handler runs:
 * <ul>
 * <li>an empty value ({@code ?page=}): Spring reads it as absent and takes the {@code defaultValue};
 * <li>a number not in plain decimal digits: Spring's conversion trims it and reads {@code 0x10} as 16;
 * <li>a parameter given twice ({@code ?page=1&page=2}): Spring keeps the first and drops the other.
 * </ul>
 * And a malformed %-escape in the query ({@code ?page=%ZZ}): Tomcat refuses the whole query the first
 * time a parameter is read, with an exception that would otherwise reach the catch-all as a 500.
 */
@Configuration(proxyBeanMethods = false)
class StrictParameters implements WebMvcConfigurer {

    private static final Set<Class<?>> WHOLE_NUMBERS = Set.of(int.class, Integer.class, long.class, Long.class,
            short.class, Short.class, byte.class, Byte.class, java.math.BigInteger.class);

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new HandlerInterceptor() {
            @Override
            public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
                if (handler instanceof HandlerMethod method) {
                    check(request, method);
                }
                return true;
            }
        });
    }

    private static void check(HttpServletRequest request, HandlerMethod method) {
        for (var parameter : method.getMethodParameters()) {
            var type = parameter.getParameterType();
            if (type == String.class || !BeanUtils.isSimpleValueType(type)) {
                continue; // text is taken as sent; maps and objects are not one value
            }
            if (parameter.getParameterAnnotation(RequestParam.class) instanceof RequestParam param) {
                var name = nameOf(param.name(), parameter);
                var values = request.getParameterValues(name);
                if (values == null) {
                    continue; // absent: the default, or Spring's "required" answer
                }
                if (values.length > 1) {
                    throw ApiException.invalidField(name, "must be given once");
                }
                checkValue(name, values[0], type);
            } else if (parameter.getParameterAnnotation(PathVariable.class) instanceof PathVariable variable
                    && request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE) instanceof Map<?, ?> path) {
                var name = nameOf(variable.name(), parameter);
                if (path.get(name) instanceof String value) {
                    checkValue(name, value, type);
                }
            }
        }
    }

    private static void checkValue(String name, String value, Class<?> type) {
        if (WHOLE_NUMBERS.contains(type)) {
            if (!isDecimal(value)) {
                throw ApiException.invalidField(name, "must be a whole number in decimal digits");
            }
        } else if (value.isBlank()) {
            throw ApiException.invalidField(name, "must not be empty");
        }
    }

    private static String nameOf(String declared, MethodParameter parameter) {
        return declared.isEmpty() ? parameter.getParameter().getName() : declared;
    }

    /** {@code -?[0-9]+}: no sign but minus, no spaces, no {@code 0x}; the range is the conversion's to check. */
    static boolean isDecimal(String value) {
        int start = value.startsWith("-") ? 1 : 0;
        if (value.length() == start) {
            return false;
        }
        for (int i = start; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * The name of the first query parameter whose value is not valid %-encoded UTF-8; {@code null} when
     * none is, or when it is a name that cannot be read.
     */
    static String malformedParameter(String query) {
        if (query == null) {
            return null;
        }
        for (var pair : query.split("&")) {
            int equals = pair.indexOf('=');
            var name = decode(equals < 0 ? pair : pair.substring(0, equals));
            if (name == null) {
                return null;
            }
            if (equals >= 0 && decode(pair.substring(equals + 1)) == null) {
                return name;
            }
        }
        return null;
    }

    /** {@code application/x-www-form-urlencoded} decoding that fails instead of guessing; {@code null} on failure. */
    private static String decode(String text) {
        var bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 2 >= text.length()
                        || !HexFormat.isHexDigit(text.charAt(i + 1)) || !HexFormat.isHexDigit(text.charAt(i + 2))) {
                    return null;
                }
                bytes.write(HexFormat.fromHexDigits(text, i + 1, i + 3));
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c == '+' ? ' ' : c).getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /**
     * Tomcat's refusal of a query (or form body) it cannot decode, thrown from wherever a parameter is
     * first read in Spring MVC. Ahead of {@link ProblemHandler}, whose catch-all would answer 500.
     */
    @RestControllerAdvice
    @Order(Ordered.HIGHEST_PRECEDENCE)
    static class MalformedQuery {

        @ExceptionHandler(InvalidParameterException.class)
        ResponseEntity<ProblemDetail> malformed(InvalidParameterException e, HttpServletRequest request) {
            var name = malformedParameter(request.getQueryString());
            var detail = name == null ? "The query string is not valid percent-encoded UTF-8"
                    : name + ": is not valid percent-encoded UTF-8";
            var response = Problems.response(ErrorCode.VALIDATION_FAILED, detail);
            if (name != null) {
                response.getBody().setProperty("errors", List.of(Map.of("field", name, "message", detail)));
            }
            return response;
        }
    }
}
