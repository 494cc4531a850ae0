package io.couponrush.user;

/**
 * What authentication needs to know of an account: its current role and the version a token must
 * carry to be accepted.
 */
public record AccountState(long id, Role role, long tokenVersion) {
}
