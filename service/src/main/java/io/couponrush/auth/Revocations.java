package io.couponrush.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

import io.couponrush.user.AccountState;

/**
 * What lets a token be trusted without reading its account: the accounts whose role or token version
 * changed within the life of a token, as the change feed ({@link AccountChangeFeed}) reported them.
 *
 * <p>A token carries the account's role and token version as they were when it was minted, and every
 * role or password change bumps the version. So a token whose account is not among the changed ones
 * is exactly as good as the account row would say, and one whose account changed is good only if it
 * carries the new version. Only tokens minted before a change can disagree with it, and those have all
 * expired once a token lifetime (plus the 60 s of skew the decoder allows) has passed since the change:
 * a change is remembered that long. That is the cost model's "revocation is checked against a cached
 * version": authentication reads nothing per request, not even the first request of an account this
 * instance has never seen, which at the opening of a sale is nearly every one (I9: nothing between a
 * request's arrival stamp and its turn but the token's signature check).
 *
 * <p>Where this cannot answer, the caller reads the account ({@link Verdict#UNSURE}): the feed has not
 * been read for longer than the account cache may be trusted (the same bound as before), the subject is
 * newer than the newest account the feed had seen (a sign-up since the last look, or no account at
 * all), or this instance itself just changed the account and the feed has not brought its new state.
 * An account deleted behind the service's back (there is no API for it) is not noticed here.
 */
final class Revocations {

    enum Verdict { TRUSTED, REVOKED, UNSURE }

    /** A changed account: its state after the change ({@code null} while unknown), and when the feed saw it. */
    private record Change(AccountState state, Instant seen) {
    }

    private final ConcurrentHashMap<Long, Change> changed = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration remember;
    private final Duration tokenLifetime;
    private final Duration trustFeedFor;
    private final int maxSize;
    private volatile long newestAccount = Long.MIN_VALUE;
    private volatile Instant lastLook;
    private volatile boolean overflowed;

    /**
     * @param tokenLifetime how long a token lives: a change is remembered that long plus the decoder's skew
     * @param trustFeedFor  how long after the last successful look at the feed its word is taken
     * @param maxSize       changed accounts remembered at most; past it, every token is checked by a read
     */
    Revocations(Clock clock, Duration tokenLifetime, Duration trustFeedFor, int maxSize) {
        this.clock = clock;
        this.tokenLifetime = tokenLifetime;
        // a token may be minted a little after the change it predates (a login whose password check waited
        // in line): minutes of margin cost a few entries
        this.remember = tokenLifetime.plus(SKEW).plus(MINT_MARGIN);
        this.trustFeedFor = trustFeedFor;
        this.maxSize = maxSize;
    }

    /** Longest a minted token's version may lag behind a change it predates (a login read, a hash, the pool). */
    static final Duration MINT_MARGIN = Duration.ofMinutes(5);

    /** The clock skew the decoder allows on {@code exp} (Spring Security's JwtTimestampValidator default). */
    static final Duration SKEW = Duration.ofSeconds(60);

    /** How far back the feed must be read before its word is taken: every change an unexpired token may predate. */
    Duration lookBack() {
        return remember;
    }

    /**
     * @param lifetime the token's {@code exp - iat}: one that lives longer than this service mints (fixtures,
     *                 another configuration during a rolling deploy) may predate a change it no longer
     *                 remembers, so it is read
     */
    Verdict judge(long userId, long tokenVersion, String role, Duration lifetime) {
        var look = lastLook;
        var now = clock.instant();
        if (look == null || overflowed || Duration.between(look, now).compareTo(trustFeedFor) > 0
                || lifetime == null || lifetime.compareTo(tokenLifetime) > 0) {
            return Verdict.UNSURE;
        }
        var change = changed.get(userId);
        if (change != null) {
            var state = change.state();
            if (state == null || state.role() == null || tokenVersion > state.tokenVersion()) {
                return Verdict.UNSURE; // not known yet, a role this version does not know, or a change after the look
            }
            return state.tokenVersion() == tokenVersion && state.role().name().equals(role)
                    ? Verdict.TRUSTED : Verdict.REVOKED;
        }
        return userId > newestAccount ? Verdict.UNSURE : Verdict.TRUSTED;
    }

    /** What one look at the feed found: the changed accounts' states, and the newest account there is. */
    void looked(Collection<AccountState> changes, long newestAccount, Instant at) {
        for (var state : changes) {
            // an account this instance changed after the look began may have been read before the change:
            // it stays unknown (read on use) until a look that began after it
            changed.compute(state.id(), (id, known) -> known != null && known.state() == null && !at.isAfter(known.seen())
                    ? known : new Change(state, at));
        }
        var forgetBefore = at.minus(remember);
        changed.values().removeIf(c -> c.seen().isBefore(forgetBefore));
        overflowed = changed.size() > maxSize;
        this.newestAccount = newestAccount;
        this.lastLook = at;
    }

    /** This instance changed the account: its tokens are checked by a read until the feed brings the change. */
    void changedHere(long userId) {
        changed.put(userId, new Change(null, clock.instant()));
    }

    int size() {
        return changed.size();
    }
}
