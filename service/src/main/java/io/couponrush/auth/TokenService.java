package io.couponrush.auth;

import java.time.Clock;
import java.util.List;

import io.couponrush.user.AccountState;
import io.couponrush.user.Role;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.stereotype.Service;

/**
 * Mints access tokens: the subject is the user id, {@code roles} carries the role, {@code token_version}
 * the account's version at minting (a token whose version is no longer the account's is revoked).
 */
@Service
public class TokenService {

    static final String ROLES = "roles";
    static final String TOKEN_VERSION = "token_version";

    private final JwtEncoder encoder;
    private final JwtProperties properties;
    private final Clock clock;
    private final RefreshTokens sessions;

    TokenService(JwtEncoder encoder, JwtProperties properties, Clock clock, RefreshTokens sessions) {
        this.encoder = encoder;
        this.properties = properties;
        this.clock = clock;
        this.sessions = sessions;
    }

    /** A new session for the account, as a login starts one, without its password: load-test fixtures only. */
    public String startSession(AccountState account) {
        return sessions.start(account).token().text();
    }

    public AccessToken mint(AccountState account) {
        return mint(account, properties.ttl());
    }

    /** An access token that lives {@code ttl} instead of the configured time: load-test fixtures only. */
    public AccessToken mint(AccountState account, java.time.Duration ttl) {
        var now = clock.instant();
        var claims = JwtClaimsSet.builder()
                .issuer(properties.issuer())
                .audience(List.of(properties.audience()))
                .subject(Long.toString(account.id()))
                .issuedAt(now)
                .expiresAt(now.plus(ttl))
                .claim(ROLES, List.of(account.role().name()))
                .claim(TOKEN_VERSION, account.tokenVersion())
                .build();
        var header = JwsHeader.with(MacAlgorithm.HS256).build();
        var token = encoder.encode(JwtEncoderParameters.from(header, claims)).getTokenValue();
        return new AccessToken(token, "Bearer", ttl.toSeconds());
    }

    /**
     * For an account that was just created and never changed (token version 0), with the role it was
     * created with: bulk fixtures (load tests, tests). A token for a changed account is refused as revoked;
     * the role is taken as given, so this is never called with one the account does not have.
     */
    public AccessToken mint(long userId, Role role) {
        return mint(new AccountState(userId, role, 0));
    }

    public record AccessToken(String accessToken, String tokenType, long expiresIn) {
    }
}
