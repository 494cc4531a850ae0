package io.couponrush.auth;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;

import io.couponrush.user.AccountState;
import io.couponrush.user.TokensRevoked;
import io.couponrush.web.ApiException;
import io.couponrush.web.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Sessions (V9's {@code refresh_families}): a login starts a family, each refresh replaces its token.
 *
 * <p>The cost of a refresh is one conditional {@code UPDATE} by primary key: it moves the family to the
 * new token only if the presented one is the current token, the family is neither ended nor idle past
 * its expiry, and the account's token version is still the family's (a role or password change ends
 * every session). No BCrypt, no read: the claims come from the token itself, whose hash the row holds.
 * Only a refused refresh reads the row, to say why, and that is where reuse is caught: a well-formed
 * token of a live family that is not its current token was used before (stolen, or replayed by a
 * client), and the whole family ends, the thief's copy and the owner's alike.
 */
@Component
class RefreshTokens {

    private static final Logger log = LoggerFactory.getLogger(RefreshTokens.class);

    private final JdbcClient jdbc;
    private final SessionSettings settings;
    private final Clock clock;

    RefreshTokens(JdbcClient jdbc, SessionSettings settings, Clock clock) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.clock = clock;
    }

    /** A token and when it stops working unless refreshed (never past its family's cap). */
    record Issued(RefreshToken token, Instant expiresAt) {
    }

    /** A new session for an account that just proved its password. */
    Issued start(AccountState account) {
        var now = now();
        var cap = now.plus(settings.refreshMax()).truncatedTo(ChronoUnit.SECONDS);
        var expires = earliest(now.plus(settings.refreshIdle()), cap);
        for (int attempt = 0; ; attempt++) {
            var token = RefreshToken.next(RefreshToken.newFamilyId(), account, cap);
            try {
                // only if the account is still at the version its password was checked against: a change
                // made while the login waited for a hasher must not leave a session minted before it
                int started = jdbc.sql("""
                        INSERT INTO refresh_families (id, user_id, token_version, token_hash, generation, created_at,
                                                      refreshed_at, expires_at, absolute_expires_at)
                        SELECT ?, id, token_version, ?, 0, ?, ?, ?, ? FROM users WHERE id = ? AND token_version = ?""")
                        .params(token.familyId(), token.hash(), ts(now), ts(now), ts(expires), ts(cap),
                                account.id(), account.tokenVersion())
                        .update();
                if (started == 0) {
                    throw new ApiException(ErrorCode.BAD_CREDENTIALS,
                            "The password or role of this account changed during the login; log in again");
                }
                return new Issued(token, expires);
            } catch (DuplicateKeyException collided) {
                if (attempt >= 2) {
                    throw collided; // three 63-bit random ids taken: something else is wrong
                }
            }
        }
    }

    /** The presented token replaced by the family's next one; refused with the reason otherwise. */
    Issued rotate(String presented) {
        var token = RefreshToken.parse(presented).orElseThrow(RefreshTokens::invalid);
        var now = now();
        var expires = earliest(now.plus(settings.refreshIdle()), token.absoluteExpiry());
        var next = RefreshToken.next(token.familyId(), token.account(), token.absoluteExpiry());
        int moved = jdbc.sql("""
                UPDATE refresh_families f JOIN users u ON u.id = f.user_id
                SET f.token_hash = ?, f.generation = f.generation + 1, f.refreshed_at = ?, f.expires_at = ?
                WHERE f.id = ? AND f.token_hash = ? AND f.revoked_at IS NULL AND f.expires_at > ?
                  AND u.token_version = f.token_version""")
                .params(next.hash(), ts(now), ts(expires), token.familyId(), token.hash(), ts(now))
                .update();
        if (moved == 1) {
            return new Issued(next, expires);
        }
        throw whyRefused(token, now);
    }

    /** Ends the session this token belongs to (its current token or an older one); idempotent. */
    void end(String presented) {
        var token = RefreshToken.parse(presented).orElseThrow(RefreshTokens::invalid);
        var now = now();
        int ended = jdbc.sql("UPDATE refresh_families SET revoked_at = ?, revoked_reason = 'LOGOUT' "
                        + "WHERE id = ? AND token_hash = ? AND revoked_at IS NULL")
                .params(ts(now), token.familyId(), token.hash()).update();
        if (ended == 0) {
            // not the current token: an older one shown is reuse, which ends the family all the same
            revoke(token, "REUSE", now);
        }
    }

    /** A role or password change: every session of the account ends (the refresh would refuse them anyway). */
    @TransactionalEventListener(fallbackExecution = true)
    void accountChanged(TokensRevoked event) {
        try {
            jdbc.sql("UPDATE refresh_families SET revoked_at = ?, revoked_reason = 'ACCOUNT_CHANGED' "
                            + "WHERE user_id = ? AND revoked_at IS NULL")
                    .params(ts(now()), event.userId()).update();
        } catch (RuntimeException e) {
            // the token version the refresh checks already refuses them; this only tidies the table
            log.debug("Sessions of account {} not marked ended: {}", event.userId(), e.getMessage());
        }
    }

    /** Deletes at most {@code limit} sessions past their cap; returns how many. */
    int sweep(int limit) {
        return jdbc.sql("DELETE FROM refresh_families WHERE absolute_expires_at < ? LIMIT ?")
                .params(ts(now()), limit).update();
    }

    private ApiException whyRefused(RefreshToken token, Instant now) {
        var row = jdbc.sql("""
                SELECT f.token_hash, f.revoked_at, f.expires_at, f.token_version = u.token_version AS same_version
                FROM refresh_families f JOIN users u ON u.id = f.user_id WHERE f.id = ? AND f.user_id = ?""")
                .params(token.familyId(), token.account().id())
                .query((rs, n) -> new Family(rs.getBytes(1), rs.getObject(2) != null,
                        rs.getObject(3, LocalDateTime.class).toInstant(ZoneOffset.UTC), rs.getBoolean(4)))
                .optional();
        if (row.isEmpty() || row.get().ended()) {
            return invalid();
        }
        var family = row.get();
        if (!Arrays.equals(family.hash(), token.hash())) {
            revoke(token, "REUSE", now);
            log.info("Refresh token of session {} used twice: the session is ended", token.familyId());
            return new ApiException(ErrorCode.REFRESH_TOKEN_REUSED,
                    "This refresh token was already used, so the session it belongs to has been ended; log in again");
        }
        if (!family.sameVersion()) {
            revoke(token, "ACCOUNT_CHANGED", now);
            return new ApiException(ErrorCode.TOKEN_REVOKED,
                    "A role or password change ended this session; log in again");
        }
        if (!family.expires().isAfter(now)) {
            return new ApiException(ErrorCode.REFRESH_TOKEN_INVALID, "This session has expired; log in again");
        }
        return invalid(); // changed between the update and the read: the next attempt sees why
    }

    private record Family(byte[] hash, boolean ended, Instant expires, boolean sameVersion) {
    }

    /** Ends the family the token names, if it is that account's: a text naming someone else's family ends nothing. */
    private void revoke(RefreshToken token, String reason, Instant now) {
        jdbc.sql("UPDATE refresh_families SET revoked_at = ?, revoked_reason = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL")
                .params(ts(now), reason, token.familyId(), token.account().id()).update();
    }

    static ApiException invalid() {
        return new ApiException(ErrorCode.REFRESH_TOKEN_INVALID, "This refresh token is not valid; log in again");
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** Instants are stored as UTC wall time (V1), whatever the JVM's zone. */
    private static LocalDateTime ts(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
