package io.couponrush.user;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The development admin of the embedded default run, so the README's walk-through works on a
 * fresh clone. Exists only when the embedded database was started: never against real servers.
 */
@Component
@ConditionalOnProperty(name = "couponrush.embedded.active", havingValue = "true")
class DevAdmin implements ApplicationRunner {

    static final String EMAIL = "admin@couponrush.local";
    static final String PASSWORD = "admin-password-1";

    private static final Logger log = LoggerFactory.getLogger(DevAdmin.class);

    private final UserService users;

    DevAdmin(UserService users) {
        this.users = users;
    }

    @Override
    public void run(ApplicationArguments args) {
        users.ensureAccount(EMAIL, PASSWORD, "dev admin", Role.ADMIN);
        log.info("Embedded run: development admin {} / {} is available", EMAIL, PASSWORD);
    }
}
