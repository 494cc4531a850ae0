package io.couponrush.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;

/**
 * Verifies each token once: a token whose signature and claims were valid is remembered, keyed by its
 * exact text, until it expires, so the next request with it skips the parse, the HMAC and the claim
 * conversion. A forged or altered token is different text, so it is never a hit; failures are not
 * remembered. The token's time claims are checked again on every hit against the service's clock
 * (a remembered token is refused the moment it expires). What the cache does not decide is whether
 * the account still accepts the token: {@link CurrentAccounts} checks the role and token version
 * after decoding, on hits too, so revocation works exactly as without it.
 *
 * <p>Bounded by entries ({@code couponrush.jwt.verified-token-cache-size}); a flash crowd of new
 * tokens evicts the least recently used ones, which only costs those a verification again.
 */
final class VerifiedTokens implements JwtDecoder {

    /** Longer than this a remembered token is verified again even if it lives longer. */
    private static final Duration MAX_REMEMBERED = Duration.ofHours(1);

    private final JwtDecoder verifier;
    private final OAuth2TokenValidator<Jwt> timestamps;
    private final Cache<String, Jwt> verified;

    VerifiedTokens(JwtDecoder verifier, OAuth2TokenValidator<Jwt> timestamps, Clock clock, int maxSize) {
        this.verifier = verifier;
        this.timestamps = timestamps;
        this.verified = Caffeine.newBuilder()
                .maximumSize(maxSize)
                .expireAfter(Expiry.creating((String token, Jwt jwt) -> remembered(jwt, clock.instant())))
                .build();
    }

    private static Duration remembered(Jwt jwt, Instant now) {
        var expires = jwt.getExpiresAt();
        if (expires == null) {
            return Duration.ZERO; // the validator requires exp; nothing without one is kept
        }
        var left = Duration.between(now, expires);
        return left.isNegative() ? Duration.ZERO : left.compareTo(MAX_REMEMBERED) > 0 ? MAX_REMEMBERED : left;
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        var jwt = verified.getIfPresent(token);
        if (jwt == null) {
            jwt = verifier.decode(token);
            verified.put(token, jwt);
            return jwt;
        }
        // the cache's own expiry runs on its ticker; the service's clock is what exp is judged by
        var result = timestamps.validate(jwt);
        if (result.hasErrors()) {
            verified.invalidate(token);
            throw new JwtValidationException(result.getErrors().iterator().next().getDescription(), result.getErrors());
        }
        return jwt;
    }

    long size() {
        verified.cleanUp();
        return verified.estimatedSize();
    }
}
