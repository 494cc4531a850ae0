package io.couponrush.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.couponrush.infra.Dependencies;
import io.couponrush.user.AccountState;
import io.couponrush.user.TokensRevoked;
import io.couponrush.user.UserService;
import org.springframework.core.convert.converter.Converter;
import org.springframework.dao.DataAccessException;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Turns a token whose signature and claims are valid into an authentication only if its account
 * still has the token's version; the authorities are the account's current role.
 *
 * <p>Usually without reading anything: the token carries the role and version it was minted with, and
 * {@link Revocations} knows every account that changed within a token's life (the change feed), so a
 * token is judged from memory. Where that cannot answer (see there), the account is read:
 * one read per account per {@code couponrush.jwt.account-cache-ttl} (a minute), not per request,
 * and the reads of concurrent requests share one query ({@link AccountReads}); a change made on
 * another instance arrives through the {@link AccountChangeFeed} within about half a second:
 * a role or password change reaches every instance within that time (this instance at once, by
 * {@link TokensRevoked}). Unknown subjects are remembered too, so a flood of forged subjects costs
 * one read each, not one per request.
 */
@Component
class CurrentAccounts implements Converter<Jwt, AbstractAuthenticationToken> {

    private final AccountReads reads;
    private final Clock clock;
    private final Duration ttl;
    private final int maxSize;
    private final ConcurrentHashMap<Long, Cached> cache = new ConcurrentHashMap<>();
    private final Revocations revocations;

    CurrentAccounts(UserService users, Clock clock, JwtProperties properties) {
        this.reads = new AccountReads(users);
        this.clock = clock;
        this.ttl = properties.accountCacheTtl();
        this.maxSize = properties.accountCacheSize();
        this.revocations = new Revocations(clock, properties.ttl(), properties.accountCacheTtl(), properties.accountCacheSize());
    }

    private record Cached(Optional<AccountState> state, Instant expires) {
    }

    @Override
    public AbstractAuthenticationToken convert(Jwt jwt) {
        // the decoder's validator admits only canonical positive numbers as subjects
        long userId = Long.parseLong(jwt.getSubject());
        if (!(jwt.getClaim(TokenService.TOKEN_VERSION) instanceof Number version)) {
            throw new TokenRevoked();
        }
        var role = claimedRole(jwt);
        var lifetime = jwt.getIssuedAt() == null || jwt.getExpiresAt() == null ? null
                : Duration.between(jwt.getIssuedAt(), jwt.getExpiresAt());
        var verdict = role == null ? Revocations.Verdict.UNSURE
                : revocations.judge(userId, version.longValue(), role, lifetime);
        switch (verdict) {
            case TRUSTED -> {
                return authenticated(jwt, role);
            }
            case REVOKED -> throw new TokenRevoked();
            case UNSURE -> {
                var account = current(userId)
                        .orElseThrow(() -> new InvalidBearerTokenException("The token's subject has no account"));
                if (version.longValue() != account.tokenVersion()) {
                    throw new TokenRevoked();
                }
                return authenticated(jwt, account.role().name());
            }
        }
        throw new IllegalStateException(verdict.name());
    }

    private static JwtAuthenticationToken authenticated(Jwt jwt, String role) {
        return new JwtAuthenticationToken(jwt, List.of(new SimpleGrantedAuthority("ROLE_" + role)), jwt.getSubject());
    }

    /** The one role the token names, if it names exactly one we know; {@code null} sends the token to a read. */
    private static String claimedRole(Jwt jwt) {
        if (jwt.getClaim(TokenService.ROLES) instanceof List<?> roles && roles.size() == 1
                && roles.getFirst() instanceof String role) {
            for (var known : io.couponrush.user.Role.values()) {
                if (known.name().equals(role)) {
                    return role;
                }
            }
        }
        return null;
    }

    Revocations revocations() {
        return revocations;
    }

    /** Account queries run so far (tests count them). */
    long accountQueries() {
        return reads.queries();
    }

    Optional<AccountState> current(long userId) {
        var now = clock.instant();
        var cached = cache.get(userId);
        if (cached != null && now.isBefore(cached.expires())) {
            return cached.state();
        }
        Optional<AccountState> state;
        try {
            state = reads.read(userId);
        } catch (DataAccessException | Dependencies.Unavailable e) {
            throw new AccountsUnavailable(e);
        }
        if (cache.size() >= maxSize) {
            evict(now);
        }
        // expiry counted from before the read: a change committed during it is seen within the ttl
        cache.put(userId, new Cached(state, now.plus(ttl)));
        return state;
    }

    /** Drops what expired; if the cache is still full (a burst of distinct accounts), a tenth of it. */
    private void evict(Instant now) {
        cache.values().removeIf(c -> !now.isBefore(c.expires()));
        var excess = cache.size() - maxSize * 9 / 10;
        var keys = cache.keySet().iterator();
        while (excess-- > 0 && keys.hasNext()) {
            keys.next();
            keys.remove();
        }
    }

    @TransactionalEventListener(fallbackExecution = true)
    void revoked(TokensRevoked event) {
        revocations.changedHere(event.userId());
        cache.remove(event.userId());
    }

    /** Accounts the change feed says changed (or were created) on any instance: read again next time. */
    void forget(java.util.Collection<Long> userIds) {
        userIds.forEach(cache::remove);
    }

    void forgetAll() {
        cache.clear();
    }

    /** The token's version is not its account's: a role or password change revoked it. */
    static final class TokenRevoked extends InvalidBearerTokenException {

        TokenRevoked() {
            super("The token was revoked by a role or password change");
        }
    }

    /** The account could not be read: answered 503, not 401, the token may well be valid. */
    static final class AccountsUnavailable extends AuthenticationException {

        AccountsUnavailable(RuntimeException cause) {
            super("The accounts could not be read", cause);
        }
    }
}
