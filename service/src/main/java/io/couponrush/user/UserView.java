package io.couponrush.user;

/** What the API shows of an account; never the hash. */
public record UserView(long id, String email, String nickname, Role role) {

    public static UserView of(User user) {
        return new UserView(user.getId(), user.getEmail(), user.getNickname(), user.getRole());
    }
}
