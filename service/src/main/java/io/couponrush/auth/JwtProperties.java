package io.couponrush.auth;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param secret HS256 key; at least 32 bytes. Outside the embedded run it must be set and must not
 *               be the development default.
 * @param issuer the {@code iss} claim written and required
 * @param ttl    how long an access token is valid
 */
@ConfigurationProperties("couponrush.jwt")
public record JwtProperties(String secret, @DefaultValue("couponrush") String issuer, @DefaultValue("1h") Duration ttl) {

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
