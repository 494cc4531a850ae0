package io.couponrush.loadtest;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.couponrush.auth.TokenService;
import io.couponrush.issuance.UserCouponStore;
import io.couponrush.user.Role;
import io.couponrush.user.UserService;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.context.annotation.Profile;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Profile("loadtest")
class LoadTestFixtures {

    private final JdbcTemplate jdbc;
    private final TokenService tokens;
    private final PasswordEncoder passwords;
    private final Clock clock;
    private final UserService users;

    LoadTestFixtures(JdbcTemplate jdbc, TokenService tokens, PasswordEncoder passwords, Clock clock, UserService users) {
        this.jdbc = jdbc;
        this.tokens = tokens;
        this.passwords = passwords;
        this.clock = clock;
        this.users = users;
    }

    /**
     * Inserts users in one batched statement and mints their tokens directly: 20,000 sign-ups
     * through BCrypt would take minutes and measure the wrong thing. New accounts are at token version 0.
     * By default the accounts cannot log in (their hash is of a random throwaway password); with
     * {@code password} they all share that password (hashed once, so each login still costs one BCrypt
     * check). {@code accessTokenSeconds} mints access tokens that expire that soon (a crowd whose tokens
     * run out as the sale opens); {@code sessions} also starts a session per account, as a login does,
     * and answers its refresh token.
     */
    @PostMapping("/api/v1/loadtest/users")
    Map<String, List<FixtureUser>> users(@Valid @RequestBody UsersRequest request) {
        var run = UUID.randomUUID().toString().substring(0, 8);
        var hash = passwords.encode(request.password() != null ? request.password() : UUID.randomUUID().toString());
        var now = UserCouponStore.utc(clock.instant());
        var rows = new ArrayList<Object[]>(request.count());
        for (int i = 0; i < request.count(); i++) {
            rows.add(new Object[] {"lt-" + run + "-" + i + "@load.test", hash, "load " + i, Role.USER.name(), now});
        }
        jdbc.batchUpdate("INSERT INTO users (email, password_hash, nickname, role, created_at) VALUES (?, ?, ?, ?, ?)",
                rows);
        var ids = jdbc.queryForList("SELECT id FROM users WHERE email LIKE ? ORDER BY id", Long.class,
                "lt-" + run + "-%");
        var ttl = request.accessTokenSeconds() == null ? null : java.time.Duration.ofSeconds(request.accessTokenSeconds());
        var users = new ArrayList<FixtureUser>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            var account = new io.couponrush.user.AccountState(ids.get(i), Role.USER, 0);
            var token = ttl == null ? tokens.mint(account) : tokens.mint(account, ttl);
            users.add(new FixtureUser(ids.get(i), token.accessToken(), "lt-" + run + "-" + i + "@load.test",
                    Boolean.TRUE.equals(request.sessions()) ? tokens.startSession(account) : null));
        }
        return Map.of("users", users);
    }

    @PostMapping("/api/v1/loadtest/admin-token")
    Map<String, String> adminToken() {
        var email = "lt-admin@load.test";
        var ids = jdbc.queryForList("SELECT id FROM users WHERE email = ?", Long.class, email);
        if (ids.isEmpty()) {
            jdbc.update("INSERT INTO users (email, password_hash, nickname, role, created_at) VALUES (?, ?, ?, ?, ?)",
                    email, passwords.encode(UUID.randomUUID().toString()), "load admin", Role.ADMIN.name(),
                    UserCouponStore.utc(clock.instant()));
            ids = jdbc.queryForList("SELECT id FROM users WHERE email = ?", Long.class, email);
        }
        // minted at the account's current version and role: a token from an earlier run may have been revoked
        return Map.of("token", tokens.mint(users.state(ids.getFirst()).orElseThrow()).accessToken());
    }

    /** The cheapest authenticated request: the ceiling every strategy's throughput is compared with. */
    @GetMapping("/api/v1/loadtest/ping")
    Map<String, Boolean> ping() {
        return Map.of("pong", true);
    }

    record UsersRequest(@NotNull @Min(1) @Max(100_000) Integer count, @jakarta.validation.constraints.Size(min = 8, max = 72) String password,
            @Min(1) @Max(86_400) Integer accessTokenSeconds, Boolean sessions) {
    }

    /** {@code refreshToken} only when sessions were asked for. */
    record FixtureUser(long id, String token, String email, String refreshToken) {
    }
}
