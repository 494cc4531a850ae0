package io.couponrush.ratelimit;

import java.io.ByteArrayInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Inet6Address;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

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
 * query, nothing written. Registered after Spring Security's chain, so an issue request is counted
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
    private static final Pattern ISSUE = Pattern.compile("/api/v1/coupons/[^/]+/issue");
    /** A real login body is a few hundred bytes; reading more than this to find the email is not worth it. */
    static final int MAX_LOGIN_BODY = 16 * 1024;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RateLimiter limiter;

    RateLimitFilter(RateLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !limiter.enabled() || !"POST".equals(request.getMethod());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        // the container's decoded, normalized path: what the handler mapping also matches
        var path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        var checks = new ArrayList<RateLimiter.Check>(2);
        var forward = request;
        if (path.equals(LOGIN)) {
            var body = request.getInputStream().readNBytes(MAX_LOGIN_BODY + 1);
            if (body.length > MAX_LOGIN_BODY) {
                Problems.write(request, response, ErrorCode.VALIDATION_FAILED,
                        "A login request body is at most " + MAX_LOGIN_BODY + " bytes");
                return;
            }
            forward = new ReplayedBody(request, body);
            checks.add(new RateLimiter.Check(Rule.LOGIN_PER_IP, address(request.getRemoteAddr())));
            var email = email(body);
            if (email != null) {
                checks.add(new RateLimiter.Check(Rule.LOGIN_PER_EMAIL, email));
            }
        } else if (path.equals(SIGNUP)) {
            checks.add(new RateLimiter.Check(Rule.SIGNUP_PER_IP, address(request.getRemoteAddr())));
        } else if (ISSUE.matcher(path).matches()) {
            var authentication = SecurityContextHolder.getContext().getAuthentication();
            if (authentication != null && authentication.getPrincipal() instanceof Jwt jwt && jwt.getSubject() != null) {
                checks.add(new RateLimiter.Check(Rule.ISSUE_PER_USER, jwt.getSubject()));
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
                case LOGIN_PER_EMAIL -> "Too many login attempts for this account";
                case SIGNUP_PER_IP -> "Too many sign-ups from this address";
                case ISSUE_PER_USER -> "Too many issue requests from this user";
                case ISSUE_PER_IP -> "Too many issue requests from this address";
            } + "; try again in " + verdict.retryAfterSeconds() + " s");
            return;
        }
        chain.doFilter(forward, response);
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

    /** The email the login is for, normalized as accounts are, hashed: no address is kept in Redis. */
    static String email(byte[] body) {
        try {
            var node = JSON.readTree(body);
            var email = node == null ? null : node.get("email");
            if (email == null || !email.isString()) {
                return null;
            }
            var digest = MessageDigest.getInstance("SHA-256")
                    .digest(email.asString().strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (JacksonException unreadable) {
            return null; // the controller answers MALFORMED_REQUEST; the address limit still counted it
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
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
