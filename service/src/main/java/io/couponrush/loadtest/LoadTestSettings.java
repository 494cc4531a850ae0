package io.couponrush.loadtest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param secret what the fixtures require in the {@value #HEADER} header. Required when the
 *               {@code loadtest} profile runs against real servers (the fixtures mint an ADMIN token
 *               without a login); optional in the embedded run, where the fixtures are open without it.
 */
@ConfigurationProperties("couponrush.loadtest")
record LoadTestSettings(String secret) {

    static final String HEADER = "X-Loadtest-Secret";
    static final int MIN_SECRET_BYTES = 16;

    /** Refuses a configuration under which anyone who reaches the port could become ADMIN. */
    void requireUsable(boolean embeddedRun) {
        if (secret == null || secret.isBlank()) {
            if (!embeddedRun) {
                throw new IllegalStateException("The loadtest profile mints ADMIN tokens without a login: against real "
                        + "servers it needs couponrush.loadtest.secret (COUPONRUSH_LOADTEST_SECRET), sent by the "
                        + "harness in the " + HEADER + " header");
            }
            return;
        }
        if (secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw new IllegalStateException("couponrush.loadtest.secret must be at least " + MIN_SECRET_BYTES + " bytes");
        }
    }

    /** Whether a request may use the fixtures: the header matches the secret, or no secret is set. */
    boolean admits(String header) {
        if (secret == null || secret.isBlank()) {
            return true;
        }
        // digests of equal length: the comparison time says nothing about the secret's length or prefix
        return header != null && MessageDigest.isEqual(sha256(header), sha256(secret));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
