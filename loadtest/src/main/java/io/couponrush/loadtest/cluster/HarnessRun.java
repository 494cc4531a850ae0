package io.couponrush.loadtest.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The frame every harness that starts its own servers runs in: a results folder named by the time, the servers
 * stopped whatever happens (on the way out, or by the JVM's shutdown if Maven is interrupted), a failure kept as
 * a problem of the report rather than lost in a stack trace, and the report written, printed and judged.
 */
public final class HarnessRun {

    private static final DateTimeFormatter FOLDER = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    /** What a harness does inside the frame, given its results folder. */
    @FunctionalInterface
    public interface Body {
        void run(Path directory) throws Exception;
    }

    private final String name;
    private final Path directory;
    private final long began = System.nanoTime();

    private HarnessRun(String name, Path directory) {
        this.name = name;
        this.directory = directory;
    }

    /**
     * Runs {@code body} in a new folder under {@code resultsRoot}, with {@code stopAll} run once it is done (or the
     * JVM is stopped); an exception it throws is added to {@code problems}.
     */
    public static HarnessRun run(String name, Path resultsRoot, Runnable stopAll, List<String> problems, Body body) {
        var run = new HarnessRun(name, resultsRoot.resolve(FOLDER.format(Instant.now())));
        var hook = new Thread(stopAll, "stop-" + name);
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Files.createDirectories(run.directory);
            body.run(run.directory);
        } catch (Exception e) {
            problems.add(e.getClass().getSimpleName() + ": " + e.getMessage());
            System.err.println("[" + name + "] " + e.getMessage());
        } finally {
            stopAll.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running already
            }
        }
        return run;
    }

    /**
     * Writes the report (with how long the run took) as {@code <name>.md} in the run's folder, prints it, and says
     * whether the run failed.
     *
     * @return the process's exit code: 1 when {@code failed}, else 0
     */
    public int finish(String report, boolean failed) {
        var file = directory.resolve(name + ".md");
        var whole = report + "\nRun took %.0f s (servers' start included).\n".formatted((System.nanoTime() - began) / 1e9);
        try {
            Files.writeString(file, whole);
        } catch (IOException e) {
            System.err.println("[" + name + "] could not write the report: " + e.getMessage());
        }
        System.out.println();
        System.out.println(whole);
        System.out.println("[" + name + "] " + (failed ? "FAILED" : "OK") + "; report: " + file);
        System.out.flush();
        return failed ? 1 : 0;
    }
}
