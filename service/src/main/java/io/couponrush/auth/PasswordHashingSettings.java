package io.couponrush.auth;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param maxConcurrent BCrypt hashes (sign-up, login, password change) computed at once at most, on
 *                      platform threads of their own; unset means the number of processors
 * @param maxWait       how long a request may wait in line for a hasher (what a person tolerates behind a
 *                      spinner); one whose wait would be longer is answered {@code 503 OVERLOADED} at
 *                      once, with a {@code Retry-After} that is its turn (see BoundedPasswordEncoder)
 */
@ConfigurationProperties("couponrush.passwords")
record PasswordHashingSettings(Integer maxConcurrent, @DefaultValue("5s") Duration maxWait) {

    PasswordHashingSettings {
        if (maxConcurrent == null) {
            maxConcurrent = Runtime.getRuntime().availableProcessors();
        }
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("couponrush.passwords.max-concurrent must be positive");
        }
        if (maxWait == null || maxWait.isNegative()) {
            throw new IllegalArgumentException("couponrush.passwords.max-wait must not be negative");
        }
    }
}
