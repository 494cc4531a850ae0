package io.couponrush.user;

import io.couponrush.web.MaxUtf8Bytes;
import io.couponrush.web.PrintableText;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request bodies of the account endpoints, with the password policy in one place. */
public final class UserRequests {

    /**
     * 8–72 characters with at least one letter and one digit, and at most {@link #PASSWORD_MAX_BYTES}
     * bytes in UTF-8 (checked apart, by {@link MaxUtf8Bytes}): BCrypt reads 72 bytes and ignores the
     * rest, so a longer password could not be told from its first 72 bytes.
     */
    static final String PASSWORD_POLICY = "^(?=.*[A-Za-z])(?=.*\\d).{8,72}$";
    static final String PASSWORD_MESSAGE = "must be 8 to 72 characters with at least one letter and one digit";
    public static final int PASSWORD_MAX_BYTES = 72;

    private UserRequests() {
    }

    public record Signup(
            @NotBlank @Email @Size(max = 254) @PrintableText String email,
            @NotNull @Pattern(regexp = PASSWORD_POLICY, message = PASSWORD_MESSAGE)
            @MaxUtf8Bytes(PASSWORD_MAX_BYTES) String password,
            @NotBlank @Size(max = 40) @PrintableText String nickname) {
    }

    public record ChangePassword(
            @NotBlank @Size(max = 72) String oldPassword,
            @NotNull @Pattern(regexp = PASSWORD_POLICY, message = PASSWORD_MESSAGE)
            @MaxUtf8Bytes(PASSWORD_MAX_BYTES) String newPassword) {
    }

    public record ChangeRole(@NotNull Role role) {
    }
}
