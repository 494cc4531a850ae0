package io.couponrush.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.couponrush.infra.Periodic;
import io.couponrush.user.AccountState;
import io.couponrush.user.UserService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Revocations reach every instance within a poll: each instance looks every
 * {@code couponrush.jwt.account-change-poll} (500 ms) for accounts whose role or token version changed
 * (and accounts created, so a remembered "no such account" does not outlive the signup) since its last
 * look, by the database's clock (V8), hands their new states to {@link Revocations} (which is how tokens
 * are judged without reading their account) and drops them from its account cache. Its first look
 * reaches back over a whole token lifetime: every change an unexpired token may predate. If the feed
 * cannot be read, tokens are judged by reads again once {@code account-cache-ttl} has passed since the
 * last look, and the cache's own expiry is the bound.
 */
@Component
class AccountChangeFeed extends Periodic {

    private static final Logger log = LoggerFactory.getLogger(AccountChangeFeed.class);
    /** Looked at again on the next poll: a change stamped just before a look but committed just after it. */
    private static final Duration OVERLAP = Duration.ofSeconds(2);
    /**
     * Version changes (few) are looked at again for a minute: a role or password change whose commit came
     * long after its stamp (a lock wait, a stalled database) must still reach every instance, since tokens
     * are judged from what the feed said and not from a cache that expires.
     */
    private static final Duration LATE_COMMITS = Duration.ofSeconds(60);

    private final UserService users;
    private final CurrentAccounts accounts;
    private final Clock clock;
    private String position; // the poller's own
    private String versionsPosition;

    AccountChangeFeed(UserService users, CurrentAccounts accounts, Clock clock,
            @Value("${couponrush.jwt.account-change-poll:500ms}") Duration every) {
        super("account-changes", Duration.ZERO, every, log);
        this.users = users;
        this.accounts = accounts;
        this.clock = clock;
    }

    @Override
    protected synchronized void runOnce() {
        var revocations = accounts.revocations();
        var at = clock.instant(); // before the reads: what they find is at least this fresh
        var next = users.changeFeedPosition(OVERLAP);
        var nextVersions = users.changeFeedPosition(LATE_COMMITS);
        var changed = position == null ? List.<Long>of() : users.changedSince(position);
        var versions = users.versionsChangedSince(versionsPosition == null
                ? users.changeFeedPosition(revocations.lookBack()) : versionsPosition);
        long newest = users.newestAccountId();
        if (position == null) {
            accounts.forgetAll(); // whatever was read before the feed started is read again
        } else {
            accounts.forget(changed);
            accounts.forget(versions.stream().map(AccountState::id).toList());
        }
        revocations.looked(versions, newest, at);
        position = next;
        versionsPosition = nextVersions;
    }
}
