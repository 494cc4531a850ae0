package io.couponrush.loadtest;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads a 64-bit id from an answer. The service writes ids as JSON strings (a JavaScript number cannot
 * hold ids above 2^53, and grant ids are); a number is accepted too, so the harness also reads answers
 * of services built before that change.
 */
public final class JsonIds {

    private JsonIds() {
    }

    /** The id in {@code node} (a string of digits or an integral number), else {@code otherwise}. */
    public static long of(JsonNode node, long otherwise) {
        if (node == null) {
            return otherwise;
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isTextual() && node.asText().matches("[0-9]{1,19}")) {
            try {
                return Long.parseLong(node.asText());
            } catch (NumberFormatException overflow) {
                return otherwise;
            }
        }
        return otherwise;
    }
}
