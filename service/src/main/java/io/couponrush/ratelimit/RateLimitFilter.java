package io.couponrush.ratelimit;

import java.io.ByteArrayInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Inet6Address;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

import io.couponrush.auth.DeviceTokens;
import io.couponrush.web.ErrorCode;
import io.couponrush.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Counts login, signup and issue requests against their buckets before any work is done, and answers
 * {@code 429 RATE_LIMITED} with {@code Retry-After} (whole seconds) when one is empty: no BCrypt, no
 * query, nothing written. Tokens are taken before the work and given back after it when the request
 * did not do what the rule guards ({@link #notSpent}): a shed request costs nothing, and the failed-login
 * rules count only wrong passwords. Registered after Spring Security's chain, so an issue request is counted
 * against the token's subject and a request without a valid token never reaches a bucket.
 *
 * <p>The client address is {@link HttpServletRequest#getRemoteAddr()}: the socket's peer, unless
 * Tomcat's {@code RemoteIpValve} ({@code server.forward-headers-strategy: native}) took it from
 * {@code X-Forwarded-For} because the peer is a proxy named in {@code server.tomcat.remoteip.internal-proxies}
 * (empty by default, so a client's own {@code X-Forwarded-For} is ignored).
 */
final class RateLimitFilter extends OncePerRequestFilter {

    static final String LOGIN = "/api/v1/auth/login";
    static final String SIGNUP = "/api/v1/auth/signup";
    static final String REFRESH = "/api/v1/auth/refresh";
    static final String PASSWORD = "/api/v1/users/me/password";
    private static final Pattern ISSUE = Pattern.compile("/api/v1/coupons/[^/]+/issue");
    /** A real login body is a few hundred bytes; reading more than this to find the email is not worth it. */
    static final int MAX_LOGIN_BODY = 16 * 1024;
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(tools.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private static final String DEVICE_COOKIE = "couponrush_device";

    private final RateLimiter limiter;
    private final DeviceTokens devices;

    RateLimitFilter(RateLimiter limiter, DeviceTokens devices) {
        this.limiter = limiter;
        this.devices = devices;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        if (!limiter.enabled()) {
            return true;
        }
        var method = request.getMethod();
        return !"POST".equals(method) && !"PUT".equals(method);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        // the container's decoded, normalized path: what the handler mapping also matches
        var path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        var checks = new ArrayList<RateLimiter.Check>(3);
        var forward = request;
        boolean post = "POST".equals(request.getMethod());
        if (!post && !path.equals(PASSWORD)) {
            chain.doFilter(request, response);
            return;
        }
        if (path.equals(LOGIN) && post) {
            var body = request.getInputStream().readNBytes(MAX_LOGIN_BODY + 1);
            if (body.length > MAX_LOGIN_BODY) {
                Problems.write(request, response, ErrorCode.VALIDATION_FAILED,
                        "A login request body is at most " + MAX_LOGIN_BODY + " bytes");
                return;
            }
            // The limits below count the email this filter reads; the controller must read the same one,
            // so a body this filter cannot read (another charset, not an object, a field twice) goes no further.
            var login = utf8(request) ? LoginFields.of(body) : null;
            if (login == null) {
                Problems.write(request, response, ErrorCode.MALFORMED_REQUEST,
                        "A login request body is one JSON object in UTF-8, each field once");
                return;
            }
            forward = new ReplayedBody(request, body);
            var address = address(request.getRemoteAddr());
            if (login.email() != null) {
                var emailKey = DeviceTokens.emailKey(login.email());
                var deviceToken = login.deviceToken() != null ? login.deviceToken() : cookie(request, DEVICE_COOKIE);
                var device = devices.deviceOf(deviceToken, emailKey);
                if (device.isPresent()) {
                    // OWASP's device cookie: a client that logged in to this account before is counted by its
                    // own failures (and all devices' together), not by the account's, which strangers drain;
                    // nor by its address's, which strangers behind the same NAT share
                    checks.add(new RateLimiter.Check(Rule.LOGIN_PER_DEVICE, device.get()));
                    checks.add(new RateLimiter.Check(Rule.LOGIN_DEVICES_PER_EMAIL, emailKey));
                } else {
                    checks.add(new RateLimiter.Check(Rule.LOGIN_PER_IP, address));
                    checks.add(new RateLimiter.Check(Rule.LOGIN_PER_EMAIL, emailKey));
                }
            } else {
                checks.add(new RateLimiter.Check(Rule.LOGIN_PER_IP, address));
            }
        } else if (path.equals(SIGNUP)) {
            checks.add(new RateLimiter.Check(Rule.SIGNUP_PER_IP, address(request.getRemoteAddr())));
        } else if (path.equals(REFRESH)) {
            checks.add(new RateLimiter.Check(Rule.REFRESH_PER_IP, address(request.getRemoteAddr())));
        } else if (path.equals(PASSWORD) && !post) {
            var subject = subject();
            if (subject == null) {
                chain.doFilter(request, response);
                return;
            }
            checks.add(new RateLimiter.Check(Rule.PASSWORD_CHANGE_PER_USER, subject));
        } else if (ISSUE.matcher(path).matches() && post) {
            var subject = subject();
            if (subject != null) {
                checks.add(new RateLimiter.Check(Rule.ISSUE_PER_USER, subject));
            }
            checks.add(new RateLimiter.Check(Rule.ISSUE_PER_IP, address(request.getRemoteAddr())));
        } else {
            chain.doFilter(request, response);
            return;
        }
        var verdict = limiter.check(List.copyOf(checks));
        if (!verdict.allowed()) {
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(verdict.retryAfterSeconds()));
            Problems.write(request, response, ErrorCode.RATE_LIMITED, switch (verdict.rule()) {
                case LOGIN_PER_IP -> "Too many login attempts from this address";
                case LOGIN_PER_EMAIL -> "Too many failed logins for this account from unknown devices";
                case LOGIN_PER_DEVICE -> "Too many failed logins from this device";
                case LOGIN_DEVICES_PER_EMAIL -> "Too many failed logins for this account from its devices";
                case PASSWORD_CHANGE_PER_USER -> "Too many wrong old passwords for this account";
                case REFRESH_PER_IP -> "Too many refresh tokens that are not valid from this address";
                case SIGNUP_PER_IP -> "Too many sign-ups from this address";
                case ISSUE_PER_USER -> "Too many issue requests from this user";
                case ISSUE_PER_IP -> "Too many issue requests from this address";
            } + "; try again in " + verdict.retryAfterSeconds() + " s");
            return;
        }
        boolean completed = false;
        try {
            chain.doFilter(forward, response);
            completed = true;
        } finally {
            limiter.refund(notSpent(verdict.charged(), completed ? response.getStatus() : 500));
        }
    }

    private static String subject() {
        var authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.getPrincipal() instanceof Jwt jwt ? jwt.getSubject() : null;
    }

    /**
     * JSON is UTF-8 (RFC 8259); a body declared in another charset would be read differently by the
     * controller, whose converter decodes by the {@code Content-Type} header (not by the request's character
     * encoding, which Boot's encoding filter forces to UTF-8).
     */
    private static boolean utf8(HttpServletRequest request) {
        var declared = request.getContentType();
        if (declared == null) {
            return true;
        }
        try {
            var charset = org.springframework.http.MediaType.parseMediaType(declared).getCharset();
            return charset == null || charset.equals(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException unreadable) { // an unknown charset, a malformed header
            return false;
        }
    }

    /**
     * The tokens a request took that it did not spend on what their rule guards, by its answer. A request
     * the service shed or could not serve (5xx: {@code 503 OVERLOADED} for no free hasher, a dependency
     * down) did no work: all of them, so a client that comes back as {@code Retry-After} says finds its
     * buckets as it left them. A login that was not a wrong password (right, or refused before BCrypt)
     * guessed nothing: the failed-login rules' tokens.
     */
    static List<RateLimiter.Charge> notSpent(List<RateLimiter.Charge> charged, int status) {
        if (status >= 500) {
            return charged;
        }
        if (status == 401) {
            return List.of();
        }
        return charged.stream().filter(c -> c.check().rule().failuresOnly).toList();
    }

    private static String cookie(HttpServletRequest request, String name) {
        var cookies = request.getCookies();
        if (cookies != null) {
            for (var cookie : cookies) {
                if (name.equals(cookie.getName())) {
                    return cookie.getValue();
                }
            }
        }
        return null;
    }

    /**
     * The bucket of an address. An IPv6 client usually holds a whole /64 and can pick any address in
     * it, so IPv6 is counted per /64; IPv4 per address.
     */
    static String address(String remoteAddr) {
        try {
            var address = InetAddress.ofLiteral(remoteAddr);
            if (address instanceof Inet6Address v6) {
                var bytes = v6.getAddress();
                return HexFormat.of().formatHex(bytes, 0, 8) + "::/64";
            }
            return address.getHostAddress();
        } catch (IllegalArgumentException notALiteral) {
            return remoteAddr;
        }
    }

    /** The two fields of a login body this filter needs, read without the controller's validation. */
    record LoginFields(String email, String deviceToken) {

        /** The fields, or {@code null} when the body is not one JSON object in UTF-8 with each field once. */
        static LoginFields of(byte[] body) {
            try {
                var node = JSON.readTree(body);
                if (node == null || !node.isObject()) {
                    return null;
                }
                var email = node.get("email");
                var device = node.get("deviceToken");
                return new LoginFields(email != null && email.isString() ? email.asString() : null,
                        device != null && device.isString() ? device.asString() : null);
            } catch (JacksonException unreadable) {
                return null;
            }
        }
    }

    /** The request with the body this filter already read, for the controller to read again. */
    private static final class ReplayedBody extends HttpServletRequestWrapper {

        private final byte[] body;

        ReplayedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            var in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException();
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            var charset = getCharacterEncoding() == null ? StandardCharsets.UTF_8
                    : java.nio.charset.Charset.forName(getCharacterEncoding());
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }
    }
}
