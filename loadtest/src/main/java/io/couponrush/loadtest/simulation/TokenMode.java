package io.couponrush.loadtest.simulation;

/** Which account a request is sent as. */
public enum TokenMode {
    /** One logged-in account for every virtual user, as the seed reports' k6 scripts did. */
    SEED,
    /** The next account of the pool for every request, round robin: distinct users until the pool wraps. */
    DISTINCT,
    /** A uniformly random account of the pool for every request. */
    RANDOM;

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static TokenMode of(String id) {
        return valueOf(id.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
