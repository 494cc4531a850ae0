package io.couponrush.auth;

import java.time.Duration;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;

/**
 * Where the pages keep their refresh and device tokens: cookies script cannot read ({@code HttpOnly}),
 * sent only to the auth endpoints ({@code Path=/api/v1/auth}), never on a request another site starts
 * ({@code SameSite=Strict}, which is also what keeps a cross-site form from refreshing or logging out),
 * and only over TLS when the page came over TLS ({@code Secure}; behind a proxy that terminates TLS,
 * {@code X-Forwarded-Proto} from a trusted proxy counts).
 */
final class SessionCookies {

    static final String REFRESH = "couponrush_refresh";
    static final String DEVICE = "couponrush_device";
    static final String PATH = "/api/v1/auth";

    private SessionCookies() {
    }

    static String read(HttpServletRequest request, String name) {
        var cookies = request.getCookies();
        if (cookies == null) {
            return null;
        }
        for (Cookie cookie : cookies) {
            if (name.equals(cookie.getName())) {
                return cookie.getValue();
            }
        }
        return null;
    }

    static void set(ResponseEntity.HeadersBuilder<?> response, boolean secure, String name, String value,
            long maxAgeSeconds) {
        response.header(HttpHeaders.SET_COOKIE, cookie(secure, name, value, Duration.ofSeconds(Math.max(0, maxAgeSeconds))));
    }

    static void clear(ResponseEntity.HeadersBuilder<?> response, boolean secure, String name) {
        response.header(HttpHeaders.SET_COOKIE, cookie(secure, name, "", Duration.ZERO));
    }

    private static String cookie(boolean secure, String name, String value, Duration maxAge) {
        return ResponseCookie.from(name, value)
                .httpOnly(true)
                .secure(secure)
                .sameSite("Strict")
                .path(PATH)
                .maxAge(maxAge)
                .build()
                .toString();
    }
}
