package io.couponrush.issuance;

import java.time.Instant;

/**
 * One request for one copy.
 *
 * @param userId         the token's subject, never a request parameter
 * @param idempotencyKey the client's {@code Idempotency-Key}, or {@code null}
 * @param arrivedAt      when the server received the request (before authentication), the order
 *                       first come, first served is judged by; {@code null} when unknown
 */
public record IssueRequest(long userId, String idempotencyKey, Instant arrivedAt) {

    public IssueRequest(long userId, String idempotencyKey) {
        this(userId, idempotencyKey, null);
    }

    public static IssueRequest of(long userId) {
        return new IssueRequest(userId, null, null);
    }

    public boolean keyed() {
        return idempotencyKey != null;
    }
}
