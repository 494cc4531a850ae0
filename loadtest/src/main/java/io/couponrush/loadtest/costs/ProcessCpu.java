package io.couponrush.loadtest.costs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * CPU time a process has used so far (user + system, every thread), from {@code /proc/<pid>/stat}: the
 * kernel's own account, the same for a JVM, mariadbd, redis-server and HAProxy, and unaffected by what
 * else runs on the machine (a busy neighbour stretches a request's wall time, not its CPU time).
 */
public final class ProcessCpu {

    private static final long DEFAULT_TICKS_PER_SECOND = 100;
    private static volatile long ticksPerSecond;

    private ProcessCpu() {
    }

    /** utime + stime of a live process, in clock ticks; empty when the process is gone or this is not Linux. */
    public static OptionalLong ticks(long pid) {
        if (pid <= 0) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(ticks(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))));
        } catch (IOException | RuntimeException gone) {
            return OptionalLong.empty();
        }
    }

    /**
     * Fields 14 and 15 of {@code proc(5)}. The second field, the command, is in parentheses and may itself
     * hold spaces and parentheses, so the count starts after its last ')'.
     */
    static long ticks(String stat) {
        var fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // fields[0] is field 3 (state): utime is field 14, stime field 15
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /**
     * The machine's busy time in clock ticks, all cores together: the first line of {@code /proc/stat}
     * (user, nice, system, irq, softirq and steal; idle and iowait are not busy).
     */
    public static OptionalLong machineTicks() {
        try (var lines = Files.lines(Path.of("/proc/stat"))) {
            return lines.filter(line -> line.startsWith("cpu ")).findFirst().map(ProcessCpu::busy)
                    .map(OptionalLong::of).orElse(OptionalLong.empty());
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    static long busy(String cpuLine) {
        var fields = cpuLine.trim().split("\\s+");
        long busy = 0;
        // cpu user nice system idle iowait irq softirq steal guest guest_nice (guest time is inside user)
        for (int index : new int[] {1, 2, 3, 6, 7, 8}) {
            busy += index < fields.length ? Long.parseLong(fields[index]) : 0;
        }
        return busy;
    }

    /** {@code getconf CLK_TCK}, asked once (100 on every Linux this runs on, but the kernel says so). */
    public static long ticksPerSecond() {
        long known = ticksPerSecond;
        if (known > 0) {
            return known;
        }
        long value = DEFAULT_TICKS_PER_SECOND;
        try {
            var process = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            var text = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (process.waitFor() == 0 && text.matches("\\d+")) {
                value = Long.parseLong(text);
            }
        } catch (IOException e) {
            // keep the default
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ticksPerSecond = value;
        return value;
    }

    public static double millis(long ticks) {
        return ticks * 1000.0 / ticksPerSecond();
    }
}
