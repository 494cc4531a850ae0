package io.couponrush.loadtest.wrk;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * wrk, the native HTTP load generator, run beside Gatling in the closed-model scenario: Gatling's JVM
 * competes with the service for the same two cores, wrk's C loop much less, so the two together say
 * how much of a number is the generator's. Closed model like the scenario: {@code connections}
 * connections, each sending its next request as soon as the last was answered.
 *
 * @param mode        {@code auto}: run when wrk is installed, say so when not; {@code on}: a missing wrk
 *                    fails the run; {@code off}
 * @param binary      the wrk executable
 * @param duration    how long each row runs
 * @param threads     wrk threads (the machine has two cores)
 */
public record Wrk(Mode mode, String binary, Duration duration, int threads) {

    public enum Mode { AUTO, ON, OFF }

    public static Wrk from(Properties properties, boolean smoke) {
        var mode = Mode.valueOf(properties.getProperty("bench.wrk", "auto").trim().toUpperCase(Locale.ROOT));
        var seconds = Long.parseLong(properties.getProperty("bench.wrk.durationSeconds", smoke ? "3" : "20").trim());
        if (seconds < 1) {
            throw new IllegalArgumentException("bench.wrk.durationSeconds must be at least 1");
        }
        return new Wrk(mode, properties.getProperty("bench.wrk.binary", "wrk").trim(), Duration.ofSeconds(seconds),
                Integer.parseInt(properties.getProperty("bench.wrk.threads", "2").trim()));
    }

    /** Whether to run: false with a reason when off or (auto) not installed; a missing wrk with {@code on} throws. */
    public Optional<String> skipReason() {
        if (mode == Mode.OFF) {
            return Optional.of("turned off (bench.wrk=off)");
        }
        if (installed()) {
            return Optional.empty();
        }
        if (mode == Mode.ON) {
            throw new IllegalStateException("bench.wrk=on but `" + binary + "` is not installed (scripts/install-packages.sh installs it)");
        }
        return Optional.of("`" + binary + "` is not installed (scripts/install-packages.sh installs it)");
    }

    private boolean installed() {
        try {
            var process = new ProcessBuilder(binary, "--version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            process.waitFor(10, TimeUnit.SECONDS);
            return true; // wrk --version exits 1 after printing its version; it ran
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The command for one row: {@code method path} on {@code base}, every request with the next token. */
    List<String> command(Path script, URI base, int connections, Path tokenFile, String path, String method) {
        var command = new ArrayList<String>(List.of(binary, "-t" + Math.min(threads, connections), "-c" + connections,
                "-d" + duration.toSeconds() + "s", "--timeout", "10s", "-s", script.toString(),
                base.toString().replaceAll("/+$", ""), "--", tokenFile.toString(), path, method));
        return command;
    }

    /** Runs one row; wrk's own output goes to {@code log}. */
    public WrkResult run(URI base, int connections, Path tokenFile, String path, String method, Path log)
            throws IOException, InterruptedException {
        var script = Files.createTempFile("couponrush-wrk", ".lua");
        try (InputStream in = Wrk.class.getResourceAsStream("/wrk/rotate.lua")) {
            Files.write(script, in.readAllBytes());
        }
        try {
            Files.createDirectories(log.getParent());
            var process = new ProcessBuilder(command(script, base, connections, tokenFile, path, method))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            // wrk stops itself after its duration; the margin covers its start and its last timeouts
            if (!process.waitFor(duration.toSeconds() + 60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("wrk did not finish within " + (duration.toSeconds() + 60) + " s");
            }
            var output = Files.readString(log, StandardCharsets.UTF_8);
            return WrkResult.parse(output).orElseThrow(() -> new IOException(
                    "wrk exited " + process.exitValue() + " without a result: " + output.strip()));
        } finally {
            Files.deleteIfExists(script);
        }
    }
}
