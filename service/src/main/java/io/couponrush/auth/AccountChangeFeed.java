package io.couponrush.auth;

import java.time.Duration;

import io.couponrush.infra.Periodic;
import io.couponrush.user.UserService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Revocations reach every instance within a poll: each instance looks every
 * {@code couponrush.jwt.account-change-poll} (500 ms) for accounts whose role or token version changed
 * (and accounts created, so a remembered "no such account" does not outlive the signup) since its last
 * look, by the database's clock (V8), and drops them from its account cache. So an account's state can
 * be trusted for {@code account-cache-ttl} (a minute) without a read per request, and a change still
 * takes effect everywhere within about half a second. If the feed cannot be read, the cache's own
 * expiry is the bound.
 */
@Component
class AccountChangeFeed extends Periodic {

    private static final Logger log = LoggerFactory.getLogger(AccountChangeFeed.class);
    /** Looked at again on the next poll: a change stamped just before a look but committed just after it. */
    private static final Duration OVERLAP = Duration.ofSeconds(2);

    private final UserService users;
    private final CurrentAccounts accounts;
    private String position; // the poller's own

    AccountChangeFeed(UserService users, CurrentAccounts accounts,
            @Value("${couponrush.jwt.account-change-poll:500ms}") Duration every) {
        super("account-changes", Duration.ZERO, every, log);
        this.users = users;
        this.accounts = accounts;
    }

    @Override
    protected synchronized void runOnce() {
        var next = users.changeFeedPosition(OVERLAP);
        if (position == null) {
            accounts.forgetAll(); // whatever was read before the feed started is read again
        } else {
            accounts.forget(users.changedSince(position));
        }
        position = next;
    }
}
