package io.couponrush.loadtest.costs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;

/**
 * Reads every tier's counters at a moment ({@link #snapshot()}) and turns two snapshots into a
 * {@link TierCost}. The servers do some work of their own while nothing is asked of them (HAProxy's health
 * checks reach the instances, which look at the database and Redis; timers, the JIT, GC): {@link
 * #calibrate(Duration)} measures that background on a quiet system, and {@link #net} subtracts its rate times
 * a phase's length.
 */
public final class TierMeter implements AutoCloseable {

    private final Tiers tiers;
    private final Connection database;
    private final List<TierCost> quietWindows = new ArrayList<>();

    private TierMeter(Tiers tiers, Connection database) {
        this.tiers = tiers;
        this.database = database;
    }

    /** One connection of its own to the database, kept open so a snapshot costs it one statement. */
    public static TierMeter open(Tiers tiers) {
        Connection connection = null;
        if (tiers.jdbcUrl() != null) {
            try {
                connection = DriverManager.getConnection(tiers.jdbcUrl(), "root", "");
            } catch (SQLException e) {
                System.err.println("[bench] the database's counters cannot be read: " + e.getMessage());
            }
        }
        return new TierMeter(tiers, connection);
    }

    public Tiers tiers() {
        return tiers;
    }

    public TierSnapshot snapshot() {
        var ticks = new EnumMap<Tier, Long>(Tier.class);
        tiers.pids().forEach((tier, pids) -> {
            long sum = 0;
            boolean any = false;
            for (long pid : pids) {
                var value = ProcessCpu.ticks(pid);
                if (value.isPresent()) {
                    sum += value.getAsLong();
                    any = true;
                }
            }
            if (any) {
                ticks.put(tier, sum);
            }
        });
        RedisCounters redis = null;
        if (tiers.redisPort() > 0) {
            try {
                redis = RedisCounters.read(tiers.redisPort());
            } catch (IOException e) {
                System.err.println("[bench] Redis's counters: " + e.getMessage());
            }
        }
        DatabaseCounters db = null;
        if (database != null) {
            try {
                db = DatabaseCounters.read(database);
            } catch (SQLException e) {
                System.err.println("[bench] the database's counters: " + e.getMessage());
            }
        }
        return new TierSnapshot(System.nanoTime(), ticks, ProcessCpu.machineTicks().orElse(-1), redis, db,
                loadAverage());
    }

    /**
     * Measures the background while nothing is sent ({@code quiet} long). Every server's timers and the
     * balancer's health checks run in it, as they do during a phase. Called more than once (before and after
     * the runs), {@link #background()} takes the quietest window of each: a window just after a warm-up still
     * holds the JIT's compiling, which is not a cost of the requests that follow.
     */
    public void calibrate(Duration quiet) throws InterruptedException {
        var start = snapshot();
        // nothing to wait for: the length of the quiet window is the measurement
        Thread.sleep(quiet.toMillis());
        quiet(start, snapshot());
    }

    void quiet(TierSnapshot start, TierSnapshot end) {
        quietWindows.add(raw("background", "background", "quiet", start, end, 0, 0));
    }

    /**
     * The servers' work with no load, as a cost of no requests over the longest quiet window: per tier the
     * lowest rate any window measured, Redis's and the database's counters from the window with the fewest
     * commands or statements per second. Null before {@link #calibrate}.
     */
    public TierCost background() {
        if (quietWindows.isEmpty()) {
            return null;
        }
        double seconds = quietWindows.stream().mapToDouble(TierCost::seconds).max().orElseThrow();
        var cpu = new EnumMap<Tier, Double>(Tier.class);
        for (var window : quietWindows) {
            window.cpuMillis().forEach((tier, millis) -> cpu.merge(tier, millis / window.seconds() * seconds,
                    Math::min));
        }
        var redis = quietWindows.stream().filter(window -> window.redis() != null)
                .min(java.util.Comparator.comparingDouble(window -> window.redis().commands() / window.seconds()))
                .map(window -> window.redis().scaled(seconds / window.seconds())).orElse(null);
        var database = quietWindows.stream().filter(window -> window.database() != null)
                .min(java.util.Comparator.comparingDouble(window -> window.database().statements() / window.seconds()))
                .map(window -> window.database().scaled(seconds / window.seconds())).orElse(null);
        return new TierCost("background", "background", "quiet", tiers.instances(), 0, 0, seconds, cpu, redis,
                database, quietWindows.getLast().loadAverage());
    }

    /** What happened between two snapshots, as measured (see {@link #net} for the background's removal). */
    public TierCost cost(String scenario, String row, String phase, TierSnapshot before, TierSnapshot after,
                         long requests, long grants) {
        return raw(scenario, row, phase, before, after, requests, grants);
    }

    /** A measured cost less the background (when one was measured). */
    public TierCost net(TierCost measured) {
        return measured.less(background());
    }

    private TierCost raw(String scenario, String row, String phase, TierSnapshot before, TierSnapshot after,
                         long requests, long grants) {
        var cpu = new EnumMap<Tier, Double>(Tier.class);
        long ours = 0;
        for (var entry : after.ticks().entrySet()) {
            var old = before.ticks().get(entry.getKey());
            if (old != null) {
                cpu.put(entry.getKey(), ProcessCpu.millis(entry.getValue() - old));
                ours += entry.getValue() - old;
            }
        }
        if (after.machineTicks() >= 0 && before.machineTicks() >= 0) {
            cpu.put(Tier.OTHER, ProcessCpu.millis(Math.max(0, after.machineTicks() - before.machineTicks() - ours)));
        }
        var redis = after.redis() == null || before.redis() == null ? null : after.redis().minus(before.redis());
        var db = after.database() == null || before.database() == null ? null
                : after.database().minus(before.database());
        return new TierCost(scenario, row, phase, tiers.instances(), requests, grants,
                (after.nanos() - before.nanos()) / 1e9, cpu, redis, db, after.loadAverage());
    }

    /** {@code /proc/loadavg}'s first three fields: how busy the machine was beside the measured processes. */
    public static String loadAverage() {
        try {
            var fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** What the meter reads, for the summary. */
    public String describe() {
        var parts = new StringBuilder("CPU time from `/proc/<pid>/stat` (utime + stime, ")
                .append(ProcessCpu.ticksPerSecond()).append(" ticks/s) of ");
        var names = new ArrayList<String>();
        for (var tier : Tier.values()) {
            if (tiers.has(tier)) {
                names.add(tier.process() + (tiers.pids().get(tier).size() > 1
                        ? " ×" + tiers.pids().get(tier).size() : ""));
            }
        }
        parts.append(String.join(", ", names)).append("; the machine's busy time from `/proc/stat`");
        parts.append(tiers.redisPort() > 0 ? "; Redis `INFO stats commandstats`" : "; Redis not the harness's (not measured)");
        parts.append(database != null ? "; MariaDB `SHOW GLOBAL STATUS`" : "; database not the harness's (not measured)");
        return parts.toString();
    }

    @Override
    public void close() {
        if (database != null) {
            try {
                database.close();
            } catch (SQLException ignored) {
                // closing a connection of a server that may already be gone
            }
        }
    }
}
