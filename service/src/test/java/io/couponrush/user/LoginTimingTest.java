package io.couponrush.user;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** No login timing oracle: an unknown email costs one BCrypt check, like a known one with a wrong password. */
class LoginTimingTest {

    @Test
    void anUnknownEmailCostsOneBcryptCheckLikeAWrongPassword() {
        var checks = new AtomicInteger();
        var bcrypt = new BCryptPasswordEncoder(4);
        PasswordEncoder counting = new PasswordEncoder() {
            @Override
            public String encode(CharSequence raw) {
                return bcrypt.encode(raw);
            }

            @Override
            public boolean matches(CharSequence raw, String encoded) {
                checks.incrementAndGet();
                return bcrypt.matches(raw, encoded);
            }
        };
        var users = mock(Users.class);
        var known = new User("known@test.io", bcrypt.encode("right-passw0rd"), "k", Role.USER, Clock.systemUTC().instant());
        when(users.findByEmail(anyString())).thenReturn(Optional.empty());
        when(users.findByEmail("known@test.io")).thenReturn(Optional.of(known));
        var service = new UserService(users, counting, Clock.systemUTC(), event -> { }, null);

        assertThat(service.authenticate("nobody@test.io", "any-passw0rd")).isEmpty();
        assertThat(checks.get()).isEqualTo(1);
        assertThat(service.authenticate("known@test.io", "wrong-passw0rd")).isEmpty();
        assertThat(checks.get()).isEqualTo(2);
    }
}
