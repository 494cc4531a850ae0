package io.couponrush.auth;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param secret           HS256 key; at least 32 bytes. Outside the embedded run it must be set and
 *                         must not be the development default.
 * @param issuer           the {@code iss} claim written and required
 * @param audience         the {@code aud} claim written and required: a token minted for another
 *                         service sharing the key is not accepted here
 * @param ttl              how long an access token is valid; a session renews it with its refresh token
 *                         (POST /api/v1/auth/refresh), so it can be short: a token cannot be revoked
 *                         by logout, only by a role or password change
 * @param accountCacheTtl  how long an account's role and token version, once read, are trusted; a
 *                         role or password change reaches every instance through the change feed
 *                         (AccountChangeFeed) well before, and within this time even without it
 * @param accountCacheSize how many accounts each instance remembers at most
 * @param verifiedTokenCacheSize how many verified tokens each instance remembers (until they expire), so
 *                         a client's next request skips the signature check; 0 verifies every request
 */
@ConfigurationProperties("couponrush.jwt")
public record JwtProperties(
        String secret,
        @DefaultValue("couponrush") String issuer,
        @DefaultValue("couponrush") String audience,
        @DefaultValue("15m") Duration ttl,
        @DefaultValue("60s") Duration accountCacheTtl,
        @DefaultValue("100000") int accountCacheSize,
        @DefaultValue("50000") int verifiedTokenCacheSize) {

    public JwtProperties {
        if (issuer == null || issuer.isBlank() || audience == null || audience.isBlank()) {
            throw new IllegalArgumentException("couponrush.jwt: issuer and audience must not be blank");
        }
        if (ttl == null || ttl.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("couponrush.jwt.ttl must be at least 1s");
        }
        // Revocation must reach every instance within seconds: a longer cache would defeat it.
        if (accountCacheTtl == null || !accountCacheTtl.isPositive() || accountCacheTtl.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("couponrush.jwt.account-cache-ttl must be positive and at most 1m");
        }
        if (accountCacheSize < 1) {
            throw new IllegalArgumentException("couponrush.jwt.account-cache-size must be positive");
        }
        if (verifiedTokenCacheSize < 0) {
            throw new IllegalArgumentException("couponrush.jwt.verified-token-cache-size must be 0 (off) or more");
        }
    }

    /** Used only by the embedded default run, where no secret is configured. Never accepted elsewhere. */
    static final String DEVELOPMENT_SECRET = "couponrush-development-secret-do-not-use-in-production";

    static final int MIN_SECRET_BYTES = 32;

    /** The key to sign with, or an explanation of why the configuration is refused. */
    byte[] signingKey(boolean embeddedRun) {
        if (secret == null || secret.isBlank()) {
            if (embeddedRun) {
                return DEVELOPMENT_SECRET.getBytes(StandardCharsets.UTF_8);
            }
            throw new IllegalStateException("couponrush.jwt.secret (COUPONRUSH_JWT_SECRET) must be set when "
                    + "the service runs against real servers");
        }
        if (secret.equals(DEVELOPMENT_SECRET) && !embeddedRun) {
            throw new IllegalStateException("couponrush.jwt.secret is the shipped development default; "
                    + "set a secret of your own");
        }
        var bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_SECRET_BYTES) {
            throw new IllegalStateException("couponrush.jwt.secret must be at least " + MIN_SECRET_BYTES
                    + " bytes for HS256, it has " + bytes.length);
        }
        return bytes;
    }
}
