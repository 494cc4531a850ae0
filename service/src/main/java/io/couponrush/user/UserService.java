package io.couponrush.user;

import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import io.couponrush.web.ApiException;
import io.couponrush.web.ErrorCode;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class UserService {

    private final Users users;
    private final PasswordEncoder passwords;
    private final Clock clock;
    // Compared against for unknown emails: the check then costs what a real one costs,
    // so response time does not tell which emails exist.
    private final String dummyHash;

    UserService(Users users, PasswordEncoder passwords, Clock clock) {
        this.users = users;
        this.passwords = passwords;
        this.clock = clock;
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
    public Optional<UserView> authenticate(String email, String password) {
        var user = users.findByEmail(normalize(email));
        if (user.isEmpty()) {
            passwords.matches(password, dummyHash);
            return Optional.empty();
        }
        return passwords.matches(password, user.get().getPasswordHash()) ? user.map(UserView::of) : Optional.empty();
    }

    @Transactional
    public void changePassword(long userId, UserRequests.ChangePassword request) {
        var user = users.findById(userId)
                .orElseThrow(() -> new ApiException(ErrorCode.USER_NOT_FOUND, "User " + userId + " not found"));
        if (!passwords.matches(request.oldPassword(), user.getPasswordHash())) {
            throw new ApiException(ErrorCode.BAD_CREDENTIALS, "Old password is wrong");
        }
        user.changePasswordHash(passwords.encode(request.newPassword()));
    }

    @Transactional
    public UserView changeRole(long userId, Role role) {
        var user = users.findById(userId)
                .orElseThrow(() -> new ApiException(ErrorCode.USER_NOT_FOUND, "User " + userId + " not found"));
        user.changeRole(role);
        return UserView.of(user);
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
