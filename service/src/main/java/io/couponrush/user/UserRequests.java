package io.couponrush.user;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request bodies of the account endpoints, with the password policy in one place. */
public final class UserRequests {

    /** 8–72 characters (BCrypt reads 72 bytes at most), at least one letter and one digit. */
    static final String PASSWORD_POLICY = "^(?=.*[A-Za-z])(?=.*\\d).{8,72}$";
    static final String PASSWORD_MESSAGE = "must be 8 to 72 characters with at least one letter and one digit";

    private UserRequests() {
    }

    public record Signup(
            @NotBlank @Email @Size(max = 254) String email,
            @NotNull @Pattern(regexp = PASSWORD_POLICY, message = PASSWORD_MESSAGE) String password,
            @NotBlank @Size(max = 40) String nickname) {
    }

    public record ChangePassword(
            @NotBlank @Size(max = 72) String oldPassword,
            @NotNull @Pattern(regexp = PASSWORD_POLICY, message = PASSWORD_MESSAGE) String newPassword) {
    }

    public record ChangeRole(@NotNull Role role) {
    }
}
