package io.couponrush.auth;

import java.net.URI;

import io.couponrush.user.UserRequests;
import io.couponrush.user.UserService;
import io.couponrush.user.UserView;
import io.couponrush.web.ApiException;
import io.couponrush.web.ErrorCode;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/auth")
class AuthController {

    private final UserService users;
    private final TokenService tokens;

    AuthController(UserService users, TokenService tokens) {
        this.users = users;
        this.tokens = tokens;
    }

    @PostMapping("/signup")
    ResponseEntity<UserView> signup(@Valid @RequestBody UserRequests.Signup request) {
        var user = users.signup(request);
        return ResponseEntity.created(URI.create("/api/v1/users/" + user.id())).body(user);
    }

    @PostMapping("/login")
    TokenService.AccessToken login(@Valid @RequestBody Login request) {
        return users.authenticate(request.email(), request.password())
                .map(tokens::mint)
                .orElseThrow(() -> new ApiException(ErrorCode.BAD_CREDENTIALS, "Email or password is wrong"));
    }

    /** A password over 72 bytes is not refused here but answered 401 like any wrong one (see UserService). */
    record Login(@NotBlank @Size(max = 254) String email, @NotBlank @Size(max = 1024) String password) {
    }
}
