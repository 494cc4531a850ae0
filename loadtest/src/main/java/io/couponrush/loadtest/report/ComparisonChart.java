package io.couponrush.loadtest.report;

import java.util.List;
import java.util.Locale;

/**
 * A self-contained SVG per scenario: throughput per strategy against the trivial endpoint's, and
 * p50/p95/p99 per strategy on a log scale (the strategies differ by orders of magnitude).
 */
public final class ComparisonChart {

    private static final int WIDTH = 960;
    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int PANEL = 220;
    private static final String[] PERCENTILE_COLOURS = {"#6baed6", "#2171b5", "#08306b"};

    private ComparisonChart() {
    }

    public static String svg(ScenarioResult result) {
        var measured = result.strategies().stream().filter(strategy -> strategy.stats() != null).toList();
        int top1 = 75;
        int top2 = top1 + PANEL + 100;
        int height = top2 + PANEL + 70;
        var svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n"
                .formatted(WIDTH, height, WIDTH, height));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        text(svg, WIDTH / 2.0, 22, "middle", 16, "bold", result.plan().title());
        text(svg, WIDTH / 2.0, 40, "middle", 11, "normal", result.plan().shape().describe());
        throughput(svg, result, measured, top1);
        latency(svg, measured, top2);
        svg.append("</svg>\n");
        return svg.toString();
    }

    public static String html(List<ScenarioResult> scenarios) {
        var html = new StringBuilder("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>couponrush bench</title>
                <style>body{font-family:sans-serif;margin:2em;color:#222}figure{margin:0 0 3em 0}</style>
                </head><body>
                <h1>couponrush bench: strategies compared</h1>
                <p>Throughput (answers per second) with the trivial endpoint under the same load as the dashed line,
                and latency percentiles per strategy. Red bars: a correct strategy broke an invariant; grey: the
                unsafe <code>none</code> demonstration. Details in <a href="summary.md">summary.md</a>.</p>
                """);
        for (var scenario : scenarios) {
            html.append("<figure>\n").append(svg(scenario)).append("</figure>\n");
        }
        return html.append("</body></html>\n").toString();
    }

    private static void throughput(StringBuilder svg, ScenarioResult result, List<StrategyResult> measured, int top) {
        double ping = result.ping() == null ? 0 : result.ping().throughput();
        double max = Math.max(ping, measured.stream().mapToDouble(strategy -> strategy.stats().throughput()).max().orElse(0));
        double scale = niceCeiling(max * 1.15);
        text(svg, LEFT, top - 12, "start", 13, "bold", "Throughput (req/s)");
        for (int tick = 0; tick <= 4; tick++) {
            double value = scale * tick / 4;
            double y = top + PANEL - value / scale * PANEL;
            gridLine(svg, y);
            text(svg, LEFT - 8, y + 4, "end", 11, "normal", "%,.0f".formatted(value));
        }
        double slot = plotWidth() / Math.max(1, measured.size());
        for (int i = 0; i < measured.size(); i++) {
            var strategy = measured.get(i);
            double value = strategy.stats().throughput();
            double barHeight = value / scale * PANEL;
            double x = LEFT + i * slot + slot * 0.2;
            svg.append("<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"%s\"><title>%s: %,.1f req/s</title></rect>\n"
                    .formatted(n(x), n(top + PANEL - barHeight), n(slot * 0.6), n(barHeight), colour(strategy),
                            escape(strategy.strategy()), value));
            text(svg, x + slot * 0.3, top + PANEL - barHeight - 5, "middle", 11, "normal", "%,.0f".formatted(value));
            text(svg, x + slot * 0.3, top + PANEL + 18, "middle", 12, "normal", strategy.strategy());
        }
        if (ping > 0) {
            double y = top + PANEL - ping / scale * PANEL;
            svg.append("<line x1=\"%d\" x2=\"%d\" y1=\"%s\" y2=\"%s\" stroke=\"#e6550d\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>\n"
                    .formatted(LEFT, WIDTH - RIGHT, n(y), n(y)));
            // Labelled above the panel, where no bar can cover it.
            svg.append("<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#e6550d\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>\n"
                    .formatted(WIDTH - RIGHT - 270, WIDTH - RIGHT - 240, top - 16, top - 16));
            text(svg, WIDTH - RIGHT - 234, top - 12, "start", 11, "normal",
                    "trivial endpoint, same load: %,.0f req/s".formatted(ping));
        }
        axis(svg, top);
    }

    private static void latency(StringBuilder svg, List<StrategyResult> measured, int top) {
        int maxValue = measured.stream().mapToInt(strategy -> strategy.stats().latency().p99()).max().orElse(1);
        int decades = Math.max(1, (int) Math.ceil(Math.log10(Math.max(10, maxValue * 1.5))));
        text(svg, LEFT, top - 12, "start", 13, "bold", "Latency (ms, log scale)");
        for (int decade = 0; decade <= decades; decade++) {
            double y = top + PANEL - (double) decade / decades * PANEL;
            gridLine(svg, y);
            text(svg, LEFT - 8, y + 4, "end", 11, "normal", "%,d".formatted((long) Math.pow(10, decade)));
        }
        double slot = plotWidth() / Math.max(1, measured.size());
        String[] names = {"p50", "p95", "p99"};
        for (int i = 0; i < measured.size(); i++) {
            var strategy = measured.get(i);
            var latency = strategy.stats().latency();
            int[] values = {latency.p50(), latency.p95(), latency.p99()};
            double barWidth = slot * 0.7 / 3;
            for (int k = 0; k < 3; k++) {
                double barHeight = Math.log10(Math.max(1, values[k])) / decades * PANEL;
                double x = LEFT + i * slot + slot * 0.15 + k * barWidth;
                svg.append("<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"%s\"><title>%s %s: %,d ms</title></rect>\n"
                        .formatted(n(x), n(top + PANEL - barHeight), n(barWidth - 1), n(Math.max(1, barHeight)),
                                PERCENTILE_COLOURS[k], escape(strategy.strategy()), names[k], values[k]));
                text(svg, x + barWidth / 2, top + PANEL - barHeight - 4, "middle", 9, "normal", millis(values[k]));
            }
            text(svg, LEFT + i * slot + slot / 2, top + PANEL + 18, "middle", 12, "normal", strategy.strategy());
        }
        for (int k = 0; k < 3; k++) {
            double x = LEFT + k * 70;
            svg.append("<rect x=\"%s\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>\n"
                    .formatted(n(x), top + PANEL + 34, PERCENTILE_COLOURS[k]));
            text(svg, x + 16, top + PANEL + 44, "start", 11, "normal", names[k]);
        }
        axis(svg, top);
    }

    private static String colour(StrategyResult strategy) {
        if (strategy.verdict() != null && strategy.verdict().unsafeByDesign()) {
            return "#969696";
        }
        return strategy.failsRun() ? "#de2d26" : "#3182bd";
    }

    private static void axis(StringBuilder svg, int top) {
        svg.append("<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#333\"/>\n"
                .formatted(LEFT, WIDTH - RIGHT, top + PANEL, top + PANEL));
        svg.append("<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#333\"/>\n"
                .formatted(LEFT, LEFT, top, top + PANEL));
    }

    private static void gridLine(StringBuilder svg, double y) {
        svg.append("<line x1=\"%d\" x2=\"%d\" y1=\"%s\" y2=\"%s\" stroke=\"#e5e5e5\"/>\n"
                .formatted(LEFT, WIDTH - RIGHT, n(y), n(y)));
    }

    private static void text(StringBuilder svg, double x, double y, String anchor, int size, String weight, String content) {
        svg.append("<text x=\"%s\" y=\"%s\" text-anchor=\"%s\" font-size=\"%d\" font-weight=\"%s\">%s</text>\n"
                .formatted(n(x), n(y), anchor, size, weight, escape(content)));
    }

    private static double plotWidth() {
        return WIDTH - LEFT - RIGHT;
    }

    /** A bar label that fits its bar: milliseconds below a second, seconds above. */
    static String millis(int value) {
        return value < 1_000 ? Integer.toString(value) : String.format(Locale.ROOT, "%.1f s", value / 1000.0);
    }

    /** 1, 2, 2.5 or 5 times a power of ten, at least {@code value}. */
    static double niceCeiling(double value) {
        if (value <= 0) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * power >= value) {
                return step * power;
            }
        }
        return 10 * power;
    }

    private static String n(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
