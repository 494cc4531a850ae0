package io.couponrush.user;

/** Published when an account's token version moved: every token minted before is no longer valid. */
public record TokensRevoked(long userId) {
}
