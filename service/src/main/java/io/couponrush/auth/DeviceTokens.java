package io.couponrush.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.stereotype.Component;

/**
 * Device tokens, OWASP's "device cookie" against lock-out: a client that once logged in to an account
 * holds a token that says so, and its logins for that account are then counted against the device's own
 * failures, not against the account's, which strangers can drive to zero with wrong passwords from
 * anywhere (see {@code ratelimit}). Stateless: {@code base64url(payload).base64url(HMAC-SHA256)}, the
 * payload naming the account's email (hashed), an expiry and a random device id; the key is derived from
 * the JWT key, so every instance checks every other's tokens and nothing is stored.
 */
@Component
public class DeviceTokens {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String FORMAT = "d1";
    private static final int MAX_LENGTH = 256;

    private final SecretKeySpec key;
    private final SessionSettings settings;
    private final Clock clock;

    DeviceTokens(SecretKeySpec jwtKey, SessionSettings settings, Clock clock) {
        // a key of its own: a device token can never pass for anything signed with the JWT key itself
        this.key = new SecretKeySpec(mac(jwtKey, "couponrush device tokens".getBytes(StandardCharsets.US_ASCII)), "HmacSHA256");
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * The key an email is counted under, wherever one is: the address normalized as accounts are
     * (trimmed, lower case), hashed, so no address is kept in Redis or in a token.
     */
    public static String emailKey(String email) {
        try {
            var digest = MessageDigest.getInstance("SHA-256")
                    .digest(email.strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    java.time.Duration ttl() {
        return settings.deviceTokenTtl();
    }

    /** A token for this client and this account's email, after a login that proved the password. */
    String mint(String email) {
        var device = new byte[12];
        RANDOM.nextBytes(device);
        long expires = clock.instant().plus(settings.deviceTokenTtl()).getEpochSecond();
        var payload = FORMAT + "|" + emailKey(email) + "|" + expires + "|" + HexFormat.of().formatHex(device);
        var bytes = payload.getBytes(StandardCharsets.US_ASCII);
        return ENCODER.encodeToString(bytes) + "." + ENCODER.encodeToString(mac(key, bytes));
    }

    /**
     * The device id of a token that this service signed, that has not expired and that was minted for
     * this email key; empty for anything else (absent, forged, another account's, expired).
     */
    public Optional<String> deviceOf(String token, String emailKey) {
        if (token == null || token.length() > MAX_LENGTH || emailKey == null) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        try {
            var payload = DECODER.decode(token.substring(0, dot));
            var signature = DECODER.decode(token.substring(dot + 1));
            if (!MessageDigest.isEqual(signature, mac(key, payload))) {
                return Optional.empty();
            }
            var parts = new String(payload, StandardCharsets.US_ASCII).split("\\|");
            if (parts.length != 4 || !parts[0].equals(FORMAT) || !parts[1].equals(emailKey)
                    || Long.parseLong(parts[2]) <= clock.instant().getEpochSecond()) {
                return Optional.empty();
            }
            return Optional.of(parts[3]);
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
    }

    private static byte[] mac(SecretKeySpec key, byte[] data) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
