package io.couponrush.auth;

import java.net.URI;
import java.time.Clock;

import io.couponrush.user.AccountState;
import io.couponrush.user.UserRequests;
import io.couponrush.user.UserService;
import io.couponrush.user.UserView;
import io.couponrush.web.ApiException;
import io.couponrush.web.ErrorCode;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Sign-up, login, refresh and logout. A login answers an access token (short-lived, a JWT every
 * instance checks alone) and a refresh token (long-lived, opaque, replaced by every use) and a device
 * token. API clients get both in the body and keep them; the pages ask for {@code tokenDelivery:
 * "cookie"} and get them as {@code HttpOnly} cookies instead ({@link SessionCookies}), which script on
 * the page cannot read.
 */
@RestController
@RequestMapping("/api/v1/auth")
class AuthController {

    private final UserService users;
    private final TokenService tokens;
    private final RefreshTokens sessions;
    private final DeviceTokens devices;
    private final SessionSettings settings;
    private final Clock clock;

    AuthController(UserService users, TokenService tokens, RefreshTokens sessions, DeviceTokens devices,
            SessionSettings settings, Clock clock) {
        this.users = users;
        this.tokens = tokens;
        this.sessions = sessions;
        this.devices = devices;
        this.settings = settings;
        this.clock = clock;
    }

    private boolean secure(HttpServletRequest http) {
        return settings.alwaysSecure() || http.isSecure();
    }

    @PostMapping("/signup")
    ResponseEntity<UserView> signup(@Valid @RequestBody UserRequests.Signup request) {
        var user = users.signup(request);
        return ResponseEntity.created(URI.create("/api/v1/users/" + user.id())).body(user);
    }

    @PostMapping("/login")
    ResponseEntity<Session> login(@Valid @RequestBody Login request, HttpServletRequest http) {
        var account = users.authenticate(request.email(), request.password())
                .orElseThrow(() -> new ApiException(ErrorCode.BAD_CREDENTIALS, "Email or password is wrong"));
        var cookies = request.inCookies();
        // a device that already proved itself for this account keeps its id (and its count of failures)
        var presented = cookies ? SessionCookies.read(http, SessionCookies.DEVICE) : request.deviceToken();
        var device = devices.deviceOf(presented, DeviceTokens.emailKey(request.email())).isPresent()
                ? presented : devices.mint(request.email());
        return answer(account, sessions.start(account), device, cookies, http);
    }

    /**
     * A new access token for a refresh token, which is replaced: the answer carries the next one (in the
     * body, or the cookie when it came in the cookie), and the one presented never works again. Showing
     * it again ends the whole session ({@code REFRESH_TOKEN_REUSED}).
     */
    @PostMapping("/refresh")
    ResponseEntity<Session> refresh(@Valid @RequestBody(required = false) Refresh request, HttpServletRequest http) {
        var fromBody = request != null && request.refreshToken() != null;
        var presented = fromBody ? request.refreshToken() : SessionCookies.read(http, SessionCookies.REFRESH);
        if (presented == null) {
            throw ApiException.invalidField("refreshToken",
                    "is required, in the body or in the " + SessionCookies.REFRESH + " cookie");
        }
        var next = sessions.rotate(presented);
        return answer(next.token().account(), next, null, !fromBody, http);
    }

    /** Ends the session of the refresh token given (body or cookie); with none there is nothing to end. */
    @PostMapping("/logout")
    ResponseEntity<Void> logout(@Valid @RequestBody(required = false) Refresh request, HttpServletRequest http) {
        var fromBody = request != null && request.refreshToken() != null;
        var presented = fromBody ? request.refreshToken() : SessionCookies.read(http, SessionCookies.REFRESH);
        var response = ResponseEntity.noContent();
        if (presented != null) {
            try {
                sessions.end(presented);
            } catch (ApiException notOurs) {
                // not a token of ours: there is no session to end, and the cookie is cleared all the same
                if (fromBody) {
                    throw notOurs;
                }
            }
        }
        if (!fromBody) {
            SessionCookies.clear(response, secure(http), SessionCookies.REFRESH);
        }
        return response.build();
    }

    private ResponseEntity<Session> answer(AccountState account, RefreshTokens.Issued refresh, String device,
            boolean cookies, HttpServletRequest http) {
        var access = tokens.mint(account);
        long refreshExpiresIn = secondsUntil(refresh.expiresAt());
        var response = ResponseEntity.ok();
        if (cookies) {
            SessionCookies.set(response, secure(http), SessionCookies.REFRESH, refresh.token().text(), refreshExpiresIn);
            if (device != null) {
                SessionCookies.set(response, secure(http), SessionCookies.DEVICE, device, devices.ttl().toSeconds());
            }
            return response.body(new Session(access.accessToken(), access.tokenType(), access.expiresIn(), null,
                    refreshExpiresIn, null));
        }
        return response.body(new Session(access.accessToken(), access.tokenType(), access.expiresIn(),
                refresh.token().text(), refreshExpiresIn, device));
    }

    /** Whole seconds from now, rounded up: the session set to end in 14 days says 14 days, not a second less. */
    private long secondsUntil(java.time.Instant instant) {
        long nanos = java.time.Duration.between(clock.instant(), instant).toNanos();
        return nanos <= 0 ? 0 : (nanos + 999_999_999L) / 1_000_000_000L;
    }

    /**
     * A password over 72 bytes is not refused here but answered 401 like any wrong one (see UserService).
     *
     * @param tokenDelivery {@code body} (default): the refresh and device tokens come in the answer's body;
     *                      {@code cookie}: as {@code HttpOnly} cookies, for pages
     * @param deviceToken   the device token this client got at an earlier login to this account (API
     *                      clients; pages send it as a cookie)
     */
    record Login(@NotBlank @Size(max = 254) String email, @NotBlank @Size(max = 1024) String password,
            @Pattern(regexp = "body|cookie", message = "must be body or cookie") String tokenDelivery,
            @Size(max = 256) String deviceToken) {

        boolean inCookies() {
            return "cookie".equals(tokenDelivery);
        }
    }

    /** @param refreshToken the refresh token; pages leave it out and send the cookie */
    record Refresh(@Size(max = RefreshToken.MAX_TEXT_LENGTH) String refreshToken) {
    }

    /**
     * What a login or a refresh answers.
     *
     * @param expiresIn        seconds the access token is valid
     * @param refreshToken     the refresh token (body delivery only); replaced by every refresh
     * @param refreshExpiresIn seconds the session lasts unless refreshed (never past 30 days from login)
     * @param deviceToken      keep it and send it with the next login to this account (body delivery only)
     */
    @Schema(name = "Session")
    record Session(String accessToken, String tokenType, long expiresIn, String refreshToken, long refreshExpiresIn,
            String deviceToken) {
    }
}
