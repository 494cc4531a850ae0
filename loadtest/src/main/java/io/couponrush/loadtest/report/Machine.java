package io.couponrush.loadtest.report;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine the numbers come from; they mean nothing without it. */
public record Machine(int cores, long memoryBytes, String cpu, String os, String jdk) {

    public static Machine detect() {
        long memory = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getTotalMemorySize() : -1;
        return new Machine(
                Runtime.getRuntime().availableProcessors(),
                memory,
                cpuModel(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.name") + " "
                        + System.getProperty("java.runtime.version"));
    }

    private static String cpuModel() {
        try (var lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown CPU");
        } catch (IOException | RuntimeException e) {
            return "unknown CPU";
        }
    }

    public String describe() {
        return "%d cores (%s), %.1f GiB memory, %s; JDK: %s".formatted(
                cores, cpu, memoryBytes / (1024.0 * 1024 * 1024), os, jdk);
    }
}
