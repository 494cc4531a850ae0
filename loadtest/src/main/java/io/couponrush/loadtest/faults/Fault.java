package io.couponrush.loadtest.faults;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** One thing that goes wrong in the middle of a rush. */
public enum Fault {

    NONE("none", false),
    /** {@code kill -9} of one service instance; it is replaced only after the run. */
    KILL("kill", true),
    /** SIGSTOP of one service instance (a long GC pause, a frozen VM), then SIGCONT. */
    STOP("stop", true),
    /** {@code kill -9} of Redis, restarted empty on the same port. */
    REDIS("redis", false),
    /** {@code kill -9} of MariaDB, restarted on the same port and datadir (InnoDB crash recovery). */
    MARIADB("mariadb", false);

    private final String id;
    private final boolean hitsAnInstance;

    Fault(String id, boolean hitsAnInstance) {
        this.id = id;
        this.hitsAnInstance = hitsAnInstance;
    }

    public String id() {
        return id;
    }

    /** The fault takes one service instance out; the others are the "healthy" ones of the stall table. */
    public boolean hitsAnInstance() {
        return hitsAnInstance;
    }

    public static Fault of(String id) {
        var wanted = id.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(fault -> fault.id.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown fault '" + id + "', known: "
                        + Arrays.stream(values()).map(Fault::id).collect(Collectors.joining(", "))));
    }

    /** The row title of the tables, with the pauses actually used. */
    public String describe(FaultSettings settings) {
        return switch (this) {
            case NONE -> "none";
            case KILL -> "kill -9 one instance";
            case STOP -> "SIGSTOP one instance %d s".formatted(settings.stopFor().toSeconds());
            case REDIS -> "Redis kill -9, back after %d s".formatted(settings.redisDownFor().toSeconds());
            case MARIADB -> "MariaDB kill -9, back after %d s".formatted(settings.mariadbDownFor().toSeconds());
        };
    }
}
