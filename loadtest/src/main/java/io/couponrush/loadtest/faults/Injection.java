package io.couponrush.loadtest.faults;

import java.time.Duration;
import java.util.OptionalInt;
import java.util.function.LongSupplier;

/**
 * One fault, struck from a thread of its own once the rush has answered enough users, and the
 * window it lasted on the rush's clock. A fault that pauses something always undoes itself
 * (SIGCONT, restart), also when something fails in between.
 */
final class Injection {

    private final Fault fault;
    private final ServiceCluster cluster;
    private final LocalRedis redis;
    private final LocalMariaDb mariadb;
    private final FaultSettings settings;
    private final int victim;
    private final LongSupplier clock;
    private volatile Thread thread;
    private volatile long start = -1;
    private volatile long end = -1;
    private volatile Exception failure;

    /**
     * @param victim the instance a fault on an instance hits
     * @param clock  the rush's milliseconds, so the window and the attempts share one clock
     */
    Injection(Fault fault, ServiceCluster cluster, LocalRedis redis, LocalMariaDb mariadb, FaultSettings settings,
              int victim, LongSupplier clock) {
        this.fault = fault;
        this.cluster = cluster;
        this.redis = redis;
        this.mariadb = mariadb;
        this.settings = settings;
        this.victim = victim;
        this.clock = clock;
    }

    /** The rush's trigger: returns at once, the fault runs on its own platform thread. */
    void strike() {
        if (fault != Fault.NONE && thread == null) {
            thread = Thread.ofPlatform().name("fault-" + fault.id()).start(this::inject);
        }
    }

    private void inject() {
        try {
            switch (fault) {
                case NONE -> {
                }
                case KILL -> {
                    start = clock.getAsLong();
                    cluster.kill(victim);
                }
                case STOP -> {
                    start = clock.getAsLong();
                    cluster.freeze(victim);
                    try {
                        pause(settings.stopFor());
                    } finally {
                        cluster.thaw(victim);
                        end = clock.getAsLong();
                    }
                }
                case REDIS -> {
                    start = clock.getAsLong();
                    redis.kill();
                    try {
                        pause(settings.redisDownFor());
                    } finally {
                        redis.start();
                        end = clock.getAsLong();
                    }
                }
                case MARIADB -> {
                    start = clock.getAsLong();
                    mariadb.kill();
                    try {
                        pause(settings.mariadbDownFor());
                    } finally {
                        mariadb.start(); // returns once crash recovery is done and it accepts connections
                        end = clock.getAsLong();
                    }
                }
            }
        } catch (Exception e) {
            failure = e;
        }
    }

    /** The fault's length is the experiment: wall-clock time is exactly what is meant here. */
    private static void pause(Duration duration) throws InterruptedException {
        Thread.sleep(duration);
    }

    /**
     * Waits for the fault to be over and says when it was in effect.
     *
     * @param rushEnd when the rush's last user had its answer: the end of a killed instance's window,
     *                and of the whole-rush window of a run without a fault
     */
    FaultWindow await(long rushEnd) throws Exception {
        if (fault == Fault.NONE) {
            return new FaultWindow(0, rushEnd, OptionalInt.empty());
        }
        var striking = thread;
        if (striking == null) {
            throw new IllegalStateException("the rush ended before the fault was struck");
        }
        // Bounded: MariaDB's restart waits at most 90 s for crash recovery.
        if (!striking.join(Duration.ofMinutes(3))) {
            throw new IllegalStateException("the " + fault.id() + " fault was still running after 3 minutes");
        }
        if (failure != null) {
            throw failure;
        }
        long from = start;
        long until = fault == Fault.KILL ? Math.max(rushEnd, from) : end;
        return new FaultWindow(from, until, fault.hitsAnInstance() ? OptionalInt.of(victim) : OptionalInt.empty());
    }
}
