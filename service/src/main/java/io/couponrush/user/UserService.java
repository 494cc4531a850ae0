package io.couponrush.user;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import io.couponrush.web.ApiException;
import io.couponrush.web.ErrorCode;
import io.couponrush.web.MaxUtf8Bytes;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class UserService {

    private final Users users;
    private final org.springframework.jdbc.core.simple.JdbcClient jdbc;
    private final PasswordEncoder passwords;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    // Compared against for unknown emails: the check then costs what a real one costs,
    // so response time does not tell which emails exist.
    private final String dummyHash;

    UserService(Users users, PasswordEncoder passwords, Clock clock, ApplicationEventPublisher events,
            org.springframework.jdbc.core.simple.JdbcClient jdbc) {
        this.jdbc = jdbc;
        this.users = users;
        this.passwords = passwords;
        this.clock = clock;
        this.events = events;
        this.dummyHash = passwords.encode(UUID.randomUUID().toString());
    }

    public UserView signup(UserRequests.Signup request) {
        var email = normalize(request.email());
        if (users.existsByEmail(email)) {
            throw new ApiException(ErrorCode.EMAIL_TAKEN, "An account with this email already exists");
        }
        try {
            var user = users.saveAndFlush(new User(email, passwords.encode(request.password()),
                    request.nickname().strip(), Role.USER, clock.instant()));
            return UserView.of(user);
        } catch (DataIntegrityViolationException raced) {
            // Two sign-ups with one email at once: the unique key decides, the loser hears why.
            throw new ApiException(ErrorCode.EMAIL_TAKEN, "An account with this email already exists");
        }
    }

    /** The account whose credentials these are, or empty; BCrypt runs even for unknown emails. */
    public Optional<AccountState> authenticate(String email, String password) {
        var user = users.findByEmail(normalize(email));
        // BCrypt reads 72 bytes and ignores the rest, so a longer password would be accepted on its
        // first 72 alone. Signup never took one, so it is wrong; checked against the dummy hash so it
        // costs what any other wrong password costs.
        if (user.isEmpty() || MaxUtf8Bytes.Validator.utf8Length(password) > UserRequests.PASSWORD_MAX_BYTES) {
            passwords.matches(password, dummyHash);
            return Optional.empty();
        }
        return passwords.matches(password, user.get().getPasswordHash())
                ? user.map(u -> new AccountState(u.getId(), u.getRole(), u.getTokenVersion()))
                : Optional.empty();
    }

    /** The account's current role and token version, or empty when there is no such account. */
    public Optional<AccountState> state(long userId) {
        return users.findStateById(userId);
    }

    /** Where the change feed starts: the database's clock minus a margin. */
    public String changeFeedPosition(java.time.Duration margin) {
        return users.clockMinus(margin.toMillis());
    }

    /** Accounts whose role or token version changed (or that were created) after a position of the change feed. */
    public List<Long> changedSince(String position) {
        return users.changedSince(position);
    }

    /**
     * The accounts whose token version moved after a position of the change feed, with their state now; a
     * role this version does not know (set by hand in the database) is {@code null}.
     */
    public List<AccountState> versionsChangedSince(String position) {
        return jdbc.sql("SELECT id, role, token_version FROM users WHERE version_changed_at > ?")
                .param(position)
                .query((row, n) -> new AccountState(row.getLong(1), Role.known(row.getString(2)).orElse(null), row.getLong(3)))
                .list();
    }

    /** The highest account id there is (ids only grow), or 0 with none. */
    public long newestAccountId() {
        return jdbc.sql("SELECT COALESCE(MAX(id), 0) FROM users").query(Long.class).single();
    }

    /**
     * The current role and token version of those of these accounts that exist, in one query. Plain
     * SQL: it runs for every group of accounts an instance has not seen (a flash crowd's first
     * requests), and through JPQL every new size of the {@code IN} list cost Hibernate a query plan.
     */
    public List<AccountState> states(java.util.Collection<Long> userIds) {
        if (userIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT id, role, token_version FROM users WHERE id IN (:ids)")
                .param("ids", userIds)
                .query((row, n) -> new AccountState(row.getLong(1), Role.valueOf(row.getString(2)), row.getLong(3)))
                .list();
    }

    /**
     * Revokes every token of the account, the caller's included (it logs in again). No transaction
     * is held while BCrypt runs: the new hash replaces the old one only if nobody changed it since.
     */
    public void changePassword(long userId, UserRequests.ChangePassword request) {
        var user = users.findById(userId)
                .orElseThrow(() -> new ApiException(ErrorCode.USER_NOT_FOUND, "User " + userId + " not found"));
        if (!passwords.matches(request.oldPassword(), user.getPasswordHash())) {
            throw new ApiException(ErrorCode.BAD_CREDENTIALS, "Old password is wrong");
        }
        if (users.replacePasswordHash(userId, user.getPasswordHash(), passwords.encode(request.newPassword())) == 0) {
            throw new ApiException(ErrorCode.BAD_CREDENTIALS, "The password was changed meanwhile");
        }
        events.publishEvent(new TokensRevoked(userId));
    }

    /** A new role revokes the account's tokens; the last admin cannot be demoted. */
    @Transactional
    public UserView changeRole(long userId, Role role) {
        if (role != Role.ADMIN) {
            // Locked before anything is read: the snapshot read below then sees any demotion that
            // committed while this one waited.
            var admins = users.lockAdmins();
            if (admins.size() == 1 && admins.contains(userId)) {
                throw new ApiException(ErrorCode.LAST_ADMIN, "User " + userId + " is the last admin");
            }
        }
        if (!users.existsById(userId)) {
            throw new ApiException(ErrorCode.USER_NOT_FOUND, "User " + userId + " not found");
        }
        if (users.replaceRole(userId, role) > 0) {
            events.publishEvent(new TokensRevoked(userId)); // delivered after the commit
        }
        return users.findById(userId).map(UserView::of).orElseThrow();
    }

    /** Creates the account when its email is free; used by the embedded run's development admin. */
    @Transactional
    public void ensureAccount(String email, String password, String nickname, Role role) {
        if (!users.existsByEmail(normalize(email))) {
            users.save(new User(normalize(email), passwords.encode(password), nickname, role, clock.instant()));
        }
    }

    private static String normalize(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }
}
