package io.couponrush.loadtest.redemption;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The audit endpoint's {@code books} for a coupon: each issued copy counted in the state its row is in, by the
 * state's own condition, at one instant.
 *
 * @param usedTwice copies whose events show them spent by two orders without being given back in between
 * @param balanced  the states add up to the issued rows and no copy was used twice
 */
record Books(long usable, long reserved, long used, long expired, long restored, long usedTwice, boolean balanced) {

    /** The audit's answer's {@code books}, or {@code null} when it has none (a service without redemption). */
    static Books of(JsonNode audit) {
        var books = audit == null ? null : audit.path("books");
        if (books == null || !books.isObject()) {
            return null;
        }
        return new Books(books.path("usable").asLong(), books.path("reserved").asLong(), books.path("used").asLong(),
                books.path("expired").asLong(), books.path("restored").asLong(), books.path("usedTwice").asLong(),
                books.path("balanced").asBoolean());
    }

    long states() {
        return usable + reserved + used + expired;
    }

    /** {@code usable 180 · reserved 0 · used 20 · expired 0 (restored 4)}. */
    String describe() {
        return "usable %,d · reserved %,d · used %,d · expired %,d (restored %,d)".formatted(usable, reserved, used, expired,
                restored);
    }
}
