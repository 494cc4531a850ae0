package io.couponrush.user;

import java.util.Optional;

public enum Role {
    USER, ADMIN;

    /** The role of this name, or empty for a name this version does not know (a row set by hand). */
    public static Optional<Role> known(String name) {
        for (var role : values()) {
            if (role.name().equals(name)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
