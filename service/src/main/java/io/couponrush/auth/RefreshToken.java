package io.couponrush.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import io.couponrush.user.AccountState;
import io.couponrush.user.Role;

/**
 * A refresh token, opaque to clients: base64url of its family, the claims the next access token needs
 * (account, role, token version), the family's absolute expiry and 32 random bytes. The database keeps
 * only the SHA-256 of the whole text ({@link #hash()}), so the claims cannot be altered (the hash would
 * not match) and a database reader learns no token. Carrying the claims is what lets a refresh be one
 * conditional {@code UPDATE}: nothing has to be read back to mint the access token.
 */
record RefreshToken(long familyId, AccountState account, Instant absoluteExpiry, byte[] secret) {

    private static final byte FORMAT = 1;
    private static final int SECRET_BYTES = 32;
    private static final int MAX_ROLE_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    /** No token we write is longer; anything longer is refused before decoding. */
    static final int MAX_TEXT_LENGTH = 200;

    /** A new token for a new family or the next one of a family: fresh random bytes. */
    static RefreshToken next(long familyId, AccountState account, Instant absoluteExpiry) {
        var secret = new byte[SECRET_BYTES];
        RANDOM.nextBytes(secret);
        return new RefreshToken(familyId, account, absoluteExpiry, secret);
    }

    /** A family id nobody can guess: the family is named only inside its tokens. */
    static long newFamilyId() {
        long id;
        do {
            id = RANDOM.nextLong() & Long.MAX_VALUE;
        } while (id == 0);
        return id;
    }

    String text() {
        var role = account.role().name().getBytes(StandardCharsets.US_ASCII);
        var bytes = ByteBuffer.allocate(1 + 8 + 8 + 8 + 8 + 1 + role.length + SECRET_BYTES)
                .put(FORMAT)
                .putLong(familyId)
                .putLong(account.id())
                .putLong(account.tokenVersion())
                .putLong(absoluteExpiry.getEpochSecond())
                .put((byte) role.length)
                .put(role)
                .put(secret);
        return ENCODER.encodeToString(bytes.array());
    }

    /** SHA-256 of the token's text: what the database keeps. */
    byte[] hash() {
        return hash(text());
    }

    static byte[] hash(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The token this text encodes, or empty when it is not one of ours (any shape, any length). */
    static Optional<RefreshToken> parse(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_TEXT_LENGTH) {
            return Optional.empty();
        }
        try {
            var bytes = ByteBuffer.wrap(DECODER.decode(text));
            if (bytes.get() != FORMAT) {
                return Optional.empty();
            }
            long family = bytes.getLong();
            long user = bytes.getLong();
            long version = bytes.getLong();
            var absolute = Instant.ofEpochSecond(bytes.getLong());
            int roleLength = bytes.get();
            if (roleLength < 1 || roleLength > MAX_ROLE_BYTES || family <= 0 || user <= 0 || version < 0) {
                return Optional.empty();
            }
            var role = new byte[roleLength];
            bytes.get(role);
            var secret = new byte[SECRET_BYTES];
            bytes.get(secret);
            if (bytes.hasRemaining()) {
                return Optional.empty();
            }
            var token = new RefreshToken(family, new AccountState(user, Role.valueOf(new String(role, StandardCharsets.US_ASCII)),
                    version), absolute, secret);
            // one spelling per token: base64 has others (trailing bits), which would hash differently
            return token.text().equals(text) ? Optional.of(token) : Optional.empty();
        } catch (IllegalArgumentException | java.nio.BufferUnderflowException | java.time.DateTimeException e) {
            return Optional.empty();
        }
    }
}
