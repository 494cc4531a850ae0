package io.couponrush.auth;

import java.util.concurrent.Semaphore;

import org.springframework.context.ApplicationContext;
import org.springframework.security.crypto.password.PasswordEncoder;

/** For tests in other packages: the permits of a running service's password hashers, to take them all. */
public final class PasswordHashers {

    private PasswordHashers() {
    }

    public static Semaphore permits(ApplicationContext context) {
        return ((BoundedPasswordEncoder) context.getBean(PasswordEncoder.class)).permits();
    }
}
