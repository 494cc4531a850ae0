package io.couponrush.loadtest.report;

import io.couponrush.loadtest.costs.CostTable;
import io.couponrush.loadtest.integrity.IntegrityVerdict;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Renders {@code summary.md}: what ran where, one table per scenario, then the evidence behind each verdict. */
public final class SummaryMarkdown {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private SummaryMarkdown() {
    }

    /** @param directory where summary.md is written; report links are made relative to it */
    public static String render(BenchReport report, Path directory) {
        var out = new StringBuilder();
        var titles = report.scenarios().stream().map(result -> result.plan().title()).collect(Collectors.joining(", "));
        out.append("# couponrush bench: ").append(titles.isEmpty() ? "no scenario ran" : titles).append("\n\n");
        out.append("- When: ").append(WHEN.format(report.startedAt())).append(", took ")
                .append(duration(Duration.between(report.startedAt(), report.finishedAt()))).append('\n');
        out.append("- Machine: ").append(report.machine().describe())
                .append("; the load generator (Gatling, in-process) and the service share it\n");
        if (report.load() != null) {
            out.append("- Load average (1, 5, 15 min): ").append(report.load()).append('\n');
        }
        out.append("- Service: ").append(report.service()).append('\n');
        out.append("- Command: `").append(report.command()).append("`\n");
        out.append("- Result: ").append(overall(report)).append('\n');
        out.append("- Chart: [chart.html](chart.html)\n");
        for (var problem : report.problems()) {
            out.append("- **Problem:** ").append(problem).append('\n');
        }
        for (var scenario : report.scenarios()) {
            scenario(out, scenario, directory, report);
        }
        return out.toString();
    }

    private static String overall(BenchReport report) {
        if (!report.failed()) {
            return "every correct strategy kept every invariant";
        }
        var failing = report.scenarios().stream()
                .flatMap(scenario -> scenario.strategies().stream().filter(StrategyResult::failsRun)
                        .map(result -> scenario.plan().scenario().id() + "/" + result.strategy()))
                .toList();
        var pingFailures = report.scenarios().stream().filter(scenario -> scenario.ping() == null)
                .map(scenario -> scenario.plan().scenario().id() + "/ping").toList();
        var all = Stream.concat(failing.stream(), pingFailures.stream()).toList();
        return "**FAILED**" + (all.isEmpty() ? "" : ": " + String.join(", ", all));
    }

    private static void scenario(StringBuilder out, ScenarioResult result, Path directory, BenchReport report) {
        var plan = result.plan();
        out.append("\n## ").append(plan.title()).append("\n\n");
        out.append("Shape: ").append(plan.shape().describe()).append(". Each strategy gets a fresh coupon: stock ")
                .append("%,d".formatted(plan.stock())).append("; ").append(plan.describeMode()).append(".\n\n");
        if (result.ping() != null) {
            var ping = result.ping();
            out.append("Trivial endpoint `GET /api/v1/loadtest/ping`, same shape: %,d requests, **%,.1f req/s**, p50 %d ms, p95 %d ms, p99 %d ms, max %d ms.\n\n"
                    .formatted(ping.requests(), ping.throughput(), ping.latency().p50(), ping.latency().p95(),
                            ping.latency().p99(), ping.latency().max()));
        } else {
            out.append("Trivial endpoint: **not measured** (").append(result.pingError()).append(").\n\n");
        }

        out.append("| strategy | requests | req/s | × ping | p50 ms | p95 ms | p99 ms | max ms | 201 | issued rows | remaining | sold out after | integrity |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (var strategy : result.strategies()) {
            if (strategy.stats() == null || strategy.database() == null) {
                out.append("| ").append(strategy.strategy()).append(" | – | – | – | – | – | – | – | – | – | – | – | ")
                        .append(cell(strategy.verdictLabel())).append(" |\n");
                continue;
            }
            var stats = strategy.stats();
            var latency = stats.latency();
            out.append("| %s | %,d | %,.1f | %s | %d | %d | %d | %d | %,d | %,d | %,d | %s | %s |\n".formatted(
                    strategy.strategy(), stats.requests(), stats.throughput(), ratio(result.ratioToPing(stats)),
                    latency.p50(), latency.p95(), latency.p99(), latency.max(), stats.count("201"),
                    strategy.database().rows(), strategy.database().remaining(),
                    stats.timeUntilSoldOut().map(SummaryMarkdown::seconds).orElse("–"),
                    cell(strategy.verdictLabel())));
        }

        var measured = result.strategies().stream().filter(strategy -> strategy.stats() != null).toList();
        if (!measured.isEmpty()) {
            var codes = new LinkedHashSet<String>();
            Stream.concat(measured.stream().map(StrategyResult::stats), Stream.ofNullable(result.ping()))
                    .flatMap(stats -> stats.codes().keySet().stream())
                    .sorted(RunStats.CODE_ORDER)
                    .forEach(codes::add);
            out.append("\n### Answers by code\n\n| strategy | ")
                    .append(String.join(" | ", codes)).append(" |\n|---|")
                    .append("---:|".repeat(codes.size())).append('\n');
            if (result.ping() != null) {
                row(out, "ping", result.ping(), codes);
            }
            for (var strategy : measured) {
                row(out, strategy.strategy(), strategy.stats(), codes);
            }
        }

        if (!result.costs().isEmpty()) {
            out.append(CostTable.markdown(result.costs(), report.background(),
                    Objects.requireNonNullElse(report.meter(), "counters"), report.machine().cpu()));
        }

        wrk(out, result);

        out.append("\n### Integrity (audit endpoint + direct SQL + every answer the generator saw)\n\n");
        for (var strategy : result.strategies()) {
            out.append("- **").append(strategy.strategy()).append("**");
            if (strategy.couponId() > 0) {
                out.append(" (coupon ").append(strategy.couponId()).append(")");
            }
            out.append(": ").append(strategy.verdictLabel()).append('\n');
            if (strategy.verdict() != null) {
                evidence(out, strategy.verdict());
            }
        }

        out.append("\n### Gatling reports\n\n");
        link(out, "ping", result.pingReport(), directory);
        for (var strategy : result.strategies()) {
            link(out, strategy.strategy(), strategy.gatlingReport(), directory);
        }
    }

    /** The same rows measured with wrk, and the two generators side by side. */
    private static void wrk(StringBuilder out, ScenarioResult result) {
        if (result.wrkNote() == null && result.wrk().isEmpty()) {
            return;
        }
        out.append("\n### The same run, native generator (wrk)\n\n");
        if (result.wrkNote() != null) {
            out.append(result.wrkNote()).append("\n\n");
        }
        if (result.wrk().isEmpty()) {
            return;
        }
        var ping = result.wrk().stream().filter(row -> row.label().equals("ping") && row.result() != null)
                .map(WrkRow::result).findFirst();
        out.append("| row | requests | req/s | × ping | p50 ms | p99 ms | p99.9 ms | max ms | timeouts | socket errors | answers | integrity |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
        for (var row : result.wrk()) {
            var r = row.result();
            if (r == null) {
                out.append("| %s | – | – | – | – | – | – | – | – | – | – | %s |\n".formatted(row.label(), cell(row.integrity())));
                continue;
            }
            var codes = r.codes().entrySet().stream().map(e -> e.getKey() + "=" + "%,d".formatted(e.getValue()))
                    .collect(java.util.stream.Collectors.joining(" "));
            out.append("| %s | %,d | %,.1f | %s | %s | %s | %s | %s | %,d | %,d | %s | %s |\n".formatted(row.label(),
                    r.requests(), r.throughput(),
                    ping.map(p -> ratio(p.throughput() == 0 ? Double.NaN : r.throughput() / p.throughput())).orElse("–"),
                    millis(r.p50()), millis(r.p99()), millis(r.p999()), millis(r.max()), r.timeouts(), r.socketErrors(),
                    codes, cell(row.integrity())));
        }
        out.append("\n| row | Gatling req/s | wrk req/s | Gatling p99 ms | wrk p99 ms |\n|---|---:|---:|---:|---:|\n");
        for (var row : result.wrk()) {
            if (row.result() == null) {
                continue;
            }
            var gatling = row.label().equals("ping") ? Optional.ofNullable(result.ping())
                    : result.strategies().stream().filter(s -> s.strategy().equals(row.label()) && s.stats() != null)
                            .map(StrategyResult::stats).findFirst();
            out.append("| %s | %s | %,.1f | %s | %s |\n".formatted(row.label(),
                    gatling.map(g -> "%,.1f".formatted(g.throughput())).orElse("–"), row.result().throughput(),
                    gatling.map(g -> Long.toString(g.latency().p99())).orElse("–"), millis(row.result().p99())));
        }
    }

    private static String millis(long micros) {
        return micros < 10_000 ? "%.1f".formatted(micros / 1000.0) : Long.toString(Math.round(micros / 1000.0));
    }

    /** Every check for a broken run; for a clean one, the two numbers that prove it. */
    private static void evidence(StringBuilder out, IntegrityVerdict verdict) {
        var shown = verdict.holds()
                ? verdict.checks().stream().filter(check -> check.id().equals("I3")
                        || check.rule().startsWith("remaining +") || check.id().equals("audit")).toList()
                : verdict.checks();
        for (var check : shown) {
            out.append("  - ").append(check.holds() ? "ok" : "**BROKEN**").append(' ').append(check.id())
                    .append(' ').append(check.rule()).append(": ").append(check.detail()).append('\n');
        }
        var numbers = verdict.numbers();
        var notes = new ArrayList<String>();
        if (numbers.lostDecrements() > 0) {
            notes.add("%,d lost decrements (rows the stock counter never paid for)".formatted(numbers.lostDecrements()));
        }
        if (numbers.phantomDecrements() > 0) {
            notes.add("%,d phantom decrements (stock taken without a row)".formatted(numbers.phantomDecrements()));
        }
        if (numbers.internalErrors() > 0) {
            notes.add("%,d INTERNAL_ERROR answers (deadlocks and other 500s)".formatted(numbers.internalErrors()));
        }
        if (numbers.unacknowledgedRows() > 0) {
            notes.add("%,d rows no 201 reported".formatted(numbers.unacknowledgedRows()));
        }
        if (!notes.isEmpty()) {
            out.append("  - ").append(String.join("; ", notes)).append('\n');
        }
    }

    private static void row(StringBuilder out, String name, RunStats stats, LinkedHashSet<String> codes) {
        out.append("| ").append(name).append(" | ");
        out.append(codes.stream().map(code -> stats.count(code) == 0 ? "" : "%,d".formatted(stats.count(code)))
                .collect(Collectors.joining(" | ")));
        out.append(" |\n");
    }

    private static void link(StringBuilder out, String name, Path report, Path directory) {
        if (report == null) {
            return;
        }
        var target = report.isAbsolute() && directory != null ? directory.toAbsolutePath().relativize(report) : report;
        out.append("- ").append(name).append(": [").append(target).append("](").append(target).append(")\n");
    }

    static String ratio(double ratio) {
        return Double.isNaN(ratio) ? "–" : "%.2f".formatted(ratio);
    }

    static String seconds(Duration duration) {
        return "%.2f s".formatted(duration.toMillis() / 1000.0);
    }

    static String duration(Duration duration) {
        long seconds = duration.toSeconds();
        return seconds < 60 ? seconds + " s" : "%d min %d s".formatted(seconds / 60, seconds % 60);
    }

    private static String cell(String text) {
        return Objects.requireNonNullElse(text, "").replace("|", "\\|").replace("\n", " ");
    }
}
