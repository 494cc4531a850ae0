package io.couponrush.loadtest;

import io.couponrush.loadtest.simulation.Answer;
import io.couponrush.loadtest.simulation.Answers;
import io.couponrush.loadtest.simulation.SimulationSettings;
import io.gatling.javaapi.core.Simulation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Runs one simulation inside this JVM, so the answers it records ({@link Answers}) are right here
 * for the audit. Gatling writes its HTML report under the given folder.
 */
final class GatlingLauncher {

    /** What one run produced. {@code report} is Gatling's index.html, null if it wrote none. */
    record Outcome(List<Answer> answers, Path report) {
    }

    private GatlingLauncher() {
    }

    static Outcome run(Class<? extends Simulation> simulation, SimulationSettings settings, Path resultsFolder,
                       String description, boolean report) throws IOException {
        Files.createDirectories(resultsFolder);
        settings.toProperties().forEach(System::setProperty);
        Answers.reset();
        var args = new ArrayList<>(List.of(
                "-s", simulation.getName(),
                "-rf", resultsFolder.toAbsolutePath().toString(),
                "-rd", description,
                "-l", "couponrush-bench"));
        if (!report) {
            args.add("-nr");
        }
        int status = io.gatling.app.Gatling$.MODULE$.fromArgs(args.toArray(String[]::new));
        var answers = Answers.drain();
        if (status != 0) {
            throw new IOException("Gatling ended with status " + status + " (" + answers.size() + " answers recorded)");
        }
        return new Outcome(answers, newestReport(resultsFolder));
    }

    private static Path newestReport(Path folder) throws IOException {
        try (var runs = Files.list(folder)) {
            return runs.map(run -> run.resolve("index.html"))
                    .filter(Files::isRegularFile)
                    .max(Comparator.comparing(index -> index.toFile().lastModified()))
                    .orElse(null);
        }
    }
}
