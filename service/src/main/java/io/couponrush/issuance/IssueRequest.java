package io.couponrush.issuance;

/**
 * One request for one copy.
 *
 * @param userId         the token's subject, never a request parameter
 * @param idempotencyKey the client's {@code Idempotency-Key}, or {@code null}
 */
public record IssueRequest(long userId, String idempotencyKey) {

    public static IssueRequest of(long userId) {
        return new IssueRequest(userId, null);
    }

    public boolean keyed() {
        return idempotencyKey != null;
    }
}
