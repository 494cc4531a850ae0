package io.couponrush.loadtest.costs;

/** The processes a request passes through on this machine, each with its own CPU account. */
public enum Tier {

    SERVICE("service", "service instances (JVM)"),
    REDIS("redis", "redis-server"),
    DATABASE("database", "mariadbd"),
    PROXY("proxy", "HAProxy"),
    GENERATOR("generator", "the harness JVM (Gatling)"),
    /**
     * Not a tier of the request: every other process on the machine (the machine's busy time from
     * {@code /proc/stat}, steal included, less the processes above), to say how much of the cores the run had.
     */
    OTHER("other", "other processes on the machine");

    private final String id;
    private final String process;

    Tier(String id, String process) {
        this.id = id;
        this.process = process;
    }

    public String id() {
        return id;
    }

    public String process() {
        return process;
    }

    /** A tier a request passes through (not {@link #OTHER}). */
    public boolean ofTheRequest() {
        return this != OTHER;
    }
}
