package io.couponrush.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import io.couponrush.support.TestApi;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

/**
 * The operations kit under {@code ops/} as the tests see it: its files, the PromQL they hold, and
 * the metric and label names that PromQL reads.
 */
final class OpsKit {

    /** Where Debian's {@code prometheus} package (scripts/install-packages.sh) puts it. */
    static final Path DEBIAN_PROMTOOL = Path.of("/usr/bin/promtool");

    /** The Grafana datasource the dashboard is bound to; the provisioning YAML declares it. */
    static final String DATASOURCE_UID = "couponrush-prometheus";

    /** Labels Prometheus attaches to every series at scrape time: never in the service's own output. */
    static final Set<String> TARGET_LABELS = Set.of("job", "instance");

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{([^}]*)}");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern LABEL_VALUES = Pattern.compile(
            "label_values\\(\\s*(?:([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\{[^}]*})?\\s*,\\s*)?[a-zA-Z_][a-zA-Z0-9_]*\\s*\\)");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without",
            "on", "ignoring", "group_left", "group_right", "inf", "nan");

    private OpsKit() {
    }

    /** The repository root: the build runs the tests from {@code service/}, an IDE maybe from the root. */
    static Path root() {
        for (var dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("ops/prometheus"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no ops/ directory above " + Path.of("").toAbsolutePath());
    }

    static Path prometheus(String file) {
        return root().resolve("ops/prometheus").resolve(file);
    }

    static Path grafana(String file) {
        return root().resolve("ops/grafana").resolve(file);
    }

    static JsonNode dashboard() {
        return TestApi.JSON.readTree(read(grafana("dashboards/couponrush.json")));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(Path file) {
        return (Map<String, Object>) new Yaml().load(read(file));
    }

    /** Every panel of the dashboard, rows' nested panels included. */
    static List<JsonNode> panels(JsonNode dashboard) {
        var panels = new ArrayList<JsonNode>();
        for (var panel : dashboard.get("panels")) {
            panels.add(panel);
            if (panel.has("panels")) {
                panel.get("panels").forEach(panels::add);
            }
        }
        return panels;
    }

    /** Each panel query, keyed by "panel title / refId". */
    static Map<String, String> panelQueries(JsonNode dashboard) {
        var queries = new LinkedHashMap<String, String>();
        for (var panel : panels(dashboard)) {
            if (panel.has("targets")) {
                for (var target : panel.get("targets")) {
                    queries.put(panel.get("title").asString() + " / " + target.get("refId").asString(),
                            target.get("expr").asString());
                }
            }
        }
        return queries;
    }

    /** Each template variable's query, keyed by the variable's name. */
    static Map<String, String> variableQueries(JsonNode dashboard) {
        var queries = new LinkedHashMap<String, String>();
        for (var variable : dashboard.get("templating").get("list")) {
            var query = variable.get("query");
            queries.put(variable.get("name").asString(), query.isObject() ? query.get("query").asString() : query.asString());
        }
        return queries;
    }

    /**
     * The selector a {@code label_values(metric{…}, label)} variable query reads, as PromQL; empty
     * for {@code label_values(label)}, which reads no particular metric.
     */
    static Optional<String> variableSelector(String query) {
        var matcher = LABEL_VALUES.matcher(query.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a label_values(...) query: " + query);
        }
        return Optional.ofNullable(matcher.group(1)).map(metric -> metric + (matcher.group(2) == null ? "" : matcher.group(2)));
    }

    /** Each alert rule's expression, keyed by the alert's name. */
    @SuppressWarnings("unchecked")
    static Map<String, String> alertExpressions() {
        var alerts = new LinkedHashMap<String, String>();
        for (var group : (List<Map<String, Object>>) yaml(prometheus("couponrush-alerts.yml")).get("groups")) {
            for (var rule : (List<Map<String, Object>>) group.get("rules")) {
                alerts.put((String) rule.get("alert"), (String) rule.get("expr"));
            }
        }
        return alerts;
    }

    /**
     * A dashboard query as plain PromQL: Grafana's variables replaced by what they stand for at
     * their widest ({@code $__rate_interval} by a window, a multi-value variable by ".*").
     */
    static String withoutVariables(String expr) {
        return expr.replace("$__rate_interval", "1m").replace("$__interval", "1m").replace("$__range", "1h")
                .replaceAll("\\$\\{?[a-zA-Z_][a-zA-Z0-9_]*}?", ".*");
    }

    /**
     * The metric names a PromQL expression reads. Strings, label matchers, range windows and the
     * label lists of {@code by (…)} and friends are cut first, so what is left are metric names,
     * function names (followed by "("), keywords and numbers.
     */
    static Set<String> metricNames(String promql) {
        var text = promql.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ");
        text = GROUPING.matcher(text).replaceAll(" ");
        var names = new LinkedHashSet<String>();
        var matcher = NAME.matcher(text);
        while (matcher.find()) {
            var name = matcher.group();
            int before = matcher.start() - 1;
            if (before >= 0 && (Character.isDigit(text.charAt(before)) || text.charAt(before) == '.'
                    || text.charAt(before) == '$')) {
                continue; // part of a number (1e3) or a Grafana variable
            }
            int after = matcher.end();
            while (after < text.length() && Character.isWhitespace(text.charAt(after))) {
                after++;
            }
            if (after < text.length() && text.charAt(after) == '(') {
                continue; // a function
            }
            if (!KEYWORDS.contains(name.toLowerCase())) {
                names.add(name);
            }
        }
        return names;
    }

    /** A label matcher of a selector: {@code code="OVERLOADED"} is (code, =, OVERLOADED). */
    record Matcher(String metric, String label, String op, String value) {
    }

    static List<Matcher> matchers(String promql) {
        var found = new ArrayList<Matcher>();
        var selectors = SELECTOR.matcher(promql);
        while (selectors.find()) {
            var labels = MATCHER.matcher(selectors.group(2));
            while (labels.find()) {
                found.add(new Matcher(selectors.group(1), labels.group(1), labels.group(2), labels.group(3)));
            }
        }
        return found;
    }

    /** What a scrape of {@code /actuator/prometheus} holds: each series name with the label names it carries. */
    static Map<String, Set<String>> scrapedSeries(String exposition) {
        var series = new LinkedHashMap<String, Set<String>>();
        for (var line : exposition.lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            var name = NAME.matcher(line);
            if (!name.lookingAt()) {
                throw new IllegalArgumentException("not a sample line: " + line);
            }
            var labels = series.computeIfAbsent(name.group(), n -> new LinkedHashSet<>());
            int brace = name.end();
            if (brace < line.length() && line.charAt(brace) == '{') {
                var matcher = MATCHER.matcher(line.substring(brace + 1, line.lastIndexOf('}')));
                while (matcher.find()) {
                    labels.add(matcher.group(1));
                }
            }
        }
        return series;
    }

    /** promtool, where the Debian package installs it, else on the PATH. */
    static Optional<Path> promtool() {
        if (Files.isExecutable(DEBIAN_PROMTOOL)) {
            return Optional.of(DEBIAN_PROMTOOL);
        }
        return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .map(dir -> Path.of(dir, "promtool"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    record Run(int exit, String output) {
    }

    /** Runs promtool in {@code dir} (rule and config files name each other relative to it). */
    static Run promtool(Path promtool, Path dir, String... arguments) {
        var command = new ArrayList<String>();
        command.add(promtool.toString());
        command.addAll(List.of(arguments));
        try {
            var process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            process.getOutputStream().close();
            var output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("promtool did not finish: " + command);
            }
            return new Run(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
