package io.couponrush.loadtest.door;

/** How a member of the crowd gets a new access token when the press answers 401. */
enum DoorCase {

    /** {@code POST /api/v1/auth/refresh} with the session's refresh token: no BCrypt. */
    REFRESH("refresh", "refresh"),
    /** {@code POST /api/v1/auth/login} with email and password: one BCrypt check, through the password line. */
    LOGIN("login", "log in again");

    private final String id;
    private final String title;

    DoorCase(String id, String title) {
        this.id = id;
        this.title = title;
    }

    String id() {
        return id;
    }

    String title() {
        return title;
    }
}
