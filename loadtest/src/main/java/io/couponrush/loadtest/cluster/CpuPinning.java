package io.couponrush.loadtest.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * {@code taskset -a -p -c LIST PID}: every thread of a process the harness started (or the harness itself)
 * kept to some of the machine's CPUs; the threads it starts later inherit the mask. On a small machine this
 * is what makes runs of different instance counts comparable: the instances get the same cores in each, and
 * the generator, the database and Redis get the others.
 */
public final class CpuPinning {

    private CpuPinning() {
    }

    public static void pin(long pid, String cpus) throws IOException, InterruptedException {
        if (!cpus.matches("[0-9][0-9,-]*")) {
            throw new IllegalArgumentException("a CPU list such as 0 or 0,1 or 0-3, not '" + cpus + "'");
        }
        var process = new ProcessBuilder("taskset", "-a", "-p", "-c", cpus, Long.toString(pid))
                .redirectErrorStream(true).start();
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("taskset -a -p -c " + cpus + " " + pid + " failed: " + output);
        }
    }
}
