package io.couponrush.coupon;

import java.util.Arrays;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/** The concurrency strategy that settles a coupon's issues; stored per coupon. */
public enum Strategy {
    /** The seeds' naive read-modify-write: loses updates and deadlocks. Demonstration only. */
    NONE("none", true),
    PESSIMISTIC("pessimistic", false),
    OPTIMISTIC("optimistic", false),
    REDIS_LOCK("redis-lock", false),
    ATOMIC("atomic", false),
    BATCHED("batched", false),
    REDIS_GATE("redis-gate", false);

    private final String id;
    private final boolean unsafe;

    Strategy(String id, boolean unsafe) {
        this.id = id;
        this.unsafe = unsafe;
    }

    @JsonValue
    public String id() {
        return id;
    }

    public boolean unsafe() {
        return unsafe;
    }

    public static Optional<Strategy> byId(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
    }

    @Override
    public String toString() {
        return id;
    }
}
