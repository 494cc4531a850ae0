package io.couponrush.loadtest.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/** {@code faults.md}: the verdict table (faults × strategies), the stall table, and each run's numbers. */
public final class FaultReport {

    /**
     * @param setup    the servers and instances, as they were started
     * @param problems what kept the harness from running some or all of the cells
     */
    public record Header(Instant started, Instant finished, String machine, String command, String setup,
                         List<String> problems) {
    }

    private FaultReport() {
    }

    public static String render(Header header, FaultSettings settings, List<String> strategies, List<Cell> cells) {
        var out = new StringBuilder();
        out.append("# Faults: ").append(header.started()).append("\n\n");
        out.append("- machine: ").append(header.machine()).append('\n');
        out.append("- command: `").append(header.command()).append("`\n");
        out.append("- setup: ").append(header.setup()).append('\n');
        out.append("- load per run: ").append(settings.describe()).append('\n');
        out.append("- took ").append(minutes(Duration.between(header.started(), header.finished()))).append("\n\n");

        out.append("## Verdicts\n\n");
        out.append(table(settings, strategies, cells, Cell::verdictLabel)).append('\n');
        out.append("""
                `exact`: I1 (remaining + rows = total, remaining ≥ 0), I2 (no user holds 2 copies), I3 (every 201's \
                `userCouponId` is that user's row), I4 (no row for a user who only heard refusals), no \
                `ALREADY_ISSUED` to a user without a row, no `COUPON_SOLD_OUT` to a holder, no stock left once \
                someone ended with `COUPON_SOLD_OUT`, no 500, and every user's final answer is a 201 or a problem \
                code (not a connection error or timeout after all retries).

                """);

        out.append("## Stalls on healthy instances\n\n");
        out.append(table(settings, strategies, cells, Cell::stallLabel)).append('\n');
        out.append("""
                The slowest request answered by an instance the fault did not hit, among those in flight while \
                the fault lasted (from the signal until the process answered again; a killed instance's window \
                lasts until the rush ends; without a fault, the whole rush), and client timeouts on those \
                instances over the whole run.

                """);

        out.append("## Recovery after a dependency returned\n\n");
        out.append(table(settings, strategies, cells.stream().filter(cell -> cell.fault() == Fault.REDIS
                || cell.fault() == Fault.MARIADB).toList(), Cell::recoveryLabel, List.of(Fault.REDIS, Fault.MARIADB)))
                .append('\n');
        out.append("""
                From the moment the restarted server accepted connections: how long until the first `201` answered \
                after it, and the clients who still heard `503` more than %d s after it (out of every client of the \
                run); clients retry as told, so a strategy that recovers at once leaves none.

                """.formatted(Recovery.LATE_MILLIS / 1000));

        out.append("## Runs\n\n");
        out.append("| fault | strategy | coupon | rush | fault window | remaining + rows / total | requests | final answers |\n");
        out.append("|---|---|---:|---:|---|---|---:|---|\n");
        for (var cell : cells) {
            if (cell.error() != null) {
                out.append("| %s | %s | %s | | | | | %s |\n".formatted(cell.fault().id(), cell.strategy(),
                        cell.couponId() > 0 ? Long.toString(cell.couponId()) : "", escape(cell.verdictLabel())));
                continue;
            }
            var window = cell.window();
            var holdings = cell.holdings();
            out.append("| %s | %s | %d | %,d ms | %s | %,d + %,d / %,d | %,d for %,d users | %s |\n".formatted(
                    cell.fault().id(), cell.strategy(), cell.couponId(), cell.rushMillis(),
                    cell.fault() == Fault.NONE ? "–" : "%,d–%,d ms%s".formatted(window.startMillis(),
                            window.endMillis(), window.instance().isPresent()
                                    ? " (instance " + window.instance().getAsInt() + ")" : ""),
                    holdings.remaining(), holdings.rows(), holdings.total(), cell.attempts(), cell.users(),
                    escape(cell.finalAnswersLabel())));
        }
        var broken = cells.stream().filter(cell -> cell.error() == null && !cell.verdict().exact()).toList();
        if (!broken.isEmpty()) {
            out.append("\n## Violations\n\nWith some of the users concerned; every attempt of theirs is in"
                    + " `answers/<fault>-<strategy>.csv`, the coupon's rows in `answers/<fault>-<strategy>-rows.csv`.\n\n");
            for (var cell : broken) {
                for (var violation : cell.verdict().violations()) {
                    out.append("- %s / %s, coupon %d: %s (%s)%s\n".formatted(cell.fault().id(), cell.strategy(),
                            cell.couponId(), escape(violation.label()), violation.rule(),
                            violation.users().isEmpty() ? "" : "; users " + violation.users().stream()
                                    .map(String::valueOf).collect(Collectors.joining(", "))));
                }
            }
        }
        if (!header.problems().isEmpty()) {
            out.append("\n## Problems\n\n");
            header.problems().forEach(problem -> out.append("- ").append(escape(problem)).append('\n'));
        }
        return out.toString();
    }

    /** Rows are faults, columns strategies, in the order they were asked for. */
    public static String table(FaultSettings settings, List<String> strategies, List<Cell> cells,
                               Function<Cell, String> label) {
        return table(settings, strategies, cells, label, settings.faults());
    }

    /** The same for some of the faults (those asked for among {@code faults}). */
    static String table(FaultSettings settings, List<String> strategies, List<Cell> cells, Function<Cell, String> label,
                        List<Fault> faults) {
        var out = new StringBuilder("| fault |");
        strategies.forEach(strategy -> out.append(' ').append(strategy).append(" |"));
        out.append("\n|---|");
        strategies.forEach(strategy -> out.append("---|"));
        out.append('\n');
        for (var fault : settings.faults()) {
            if (!faults.contains(fault)) {
                continue;
            }
            out.append("| ").append(fault.describe(settings)).append(" |");
            for (var strategy : strategies) {
                var text = cells.stream().filter(cell -> cell.fault() == fault && cell.strategy().equals(strategy))
                        .findFirst().map(label).orElse("not run");
                out.append(' ').append(escape(text)).append(" |");
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String escape(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    private static String minutes(Duration duration) {
        return "%d min %02d s".formatted(duration.toMinutes(), duration.toSecondsPart());
    }
}
