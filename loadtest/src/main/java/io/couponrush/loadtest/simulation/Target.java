package io.couponrush.loadtest.simulation;

/** What the virtual users call. */
public enum Target {
    /** {@code POST /api/v1/coupons/{id}/issue}. */
    ISSUE,
    /** {@code GET /api/v1/loadtest/ping}: same security filter chain, no business work; the HTTP stack's ceiling. */
    PING;

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Target of(String id) {
        return valueOf(id.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
