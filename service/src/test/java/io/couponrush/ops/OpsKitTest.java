package io.couponrush.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The files under {@code ops/} are what an operator provisions: Prometheus must accept the alert
 * rules and the example configuration, the rules must fire (and stay quiet) as their promtool unit
 * tests say, and every dashboard query must be PromQL against the provisioned datasource. Which
 * names those queries read is checked against a live scrape in {@link OpsKitIntegrationTest}.
 */
class OpsKitTest {

    @TempDir
    Path scratch;

    private static Path promtool() {
        var promtool = OpsKit.promtool();
        assumeTrue(promtool.isPresent(), "promtool is not installed (looked at " + OpsKit.DEBIAN_PROMTOOL
                + " and the PATH): run scripts/install-packages.sh, which installs Debian's prometheus package");
        return promtool.get();
    }

    @Test
    void prometheusAcceptsTheAlertRules() {
        var run = OpsKit.promtool(promtool(), OpsKit.prometheus(""), "check", "rules", "couponrush-alerts.yml");

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("SUCCESS: 7 rules found");
    }

    @Test
    void alertsFireAndStayQuietAsTheirUnitTestsSay() {
        var run = OpsKit.promtool(promtool(), OpsKit.prometheus(""), "test", "rules", "couponrush-alerts.test.yml");

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("SUCCESS");
    }

    /** The promtool tests must prove something both ways: alerts that fire, and alerts that must not. */
    @Test
    @SuppressWarnings("unchecked")
    void alertUnitTestsExpectBothFiringAndSilence() {
        var firing = new HashSet<String>();
        var silent = new HashSet<String>();
        for (var test : (List<Map<String, Object>>) OpsKit.yaml(OpsKit.prometheus("couponrush-alerts.test.yml")).get("tests")) {
            for (var expectation : (List<Map<String, Object>>) test.get("alert_rule_test")) {
                var alerts = (List<?>) expectation.get("exp_alerts");
                (alerts.isEmpty() ? silent : firing).add((String) expectation.get("alertname"));
            }
        }

        assertThat(firing).hasSizeGreaterThanOrEqualTo(2);
        assertThat(silent).isNotEmpty();
        assertThat(OpsKit.alertExpressions().keySet()).containsAll(firing).containsAll(silent);
    }

    @Test
    void theExampleScrapeConfigurationIsValid() {
        var run = OpsKit.promtool(promtool(), OpsKit.prometheus(""), "check", "config", "prometheus.yml");

        assertThat(run.exit()).as(run.output()).isZero();
    }

    /** Every panel and variable query, Grafana's variables filled in, parsed by Prometheus itself. */
    @Test
    void everyDashboardQueryIsPromQL() throws IOException {
        var dashboard = OpsKit.dashboard();
        var rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        int n = 0;
        var queries = new java.util.ArrayList<>(OpsKit.panelQueries(dashboard).values());
        OpsKit.variableQueries(dashboard).values().forEach(q -> OpsKit.variableSelector(q).ifPresent(queries::add));
        for (var query : queries) {
            rules.append("      - record: dashboard:query").append(n++).append('\n')
                    .append("        expr: |\n");
            OpsKit.withoutVariables(query).lines().forEach(line -> rules.append("          ").append(line).append('\n'));
        }
        Files.writeString(scratch.resolve("dashboard.yml"), rules);

        var run = OpsKit.promtool(promtool(), scratch, "check", "rules", "dashboard.yml");

        assertThat(n).isGreaterThan(10);
        assertThat(run.exit()).as(rules + "\n" + run.output()).isZero();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theDashboardIsBoundToTheProvisionedDatasource() {
        var dashboard = OpsKit.dashboard();
        var datasources = (List<Map<String, Object>>) OpsKit.yaml(
                OpsKit.grafana("provisioning/datasources/couponrush.yml")).get("datasources");
        var ids = new HashSet<Integer>();

        assertThat(datasources).anySatisfy(ds -> {
            assertThat(ds.get("uid")).isEqualTo(OpsKit.DATASOURCE_UID);
            assertThat(ds.get("type")).isEqualTo("prometheus");
        });
        assertThat(dashboard.get("uid").asString()).isNotBlank();
        for (var panel : OpsKit.panels(dashboard)) {
            assertThat(ids.add(panel.get("id").asInt())).as("panel ids are unique: %s", panel.get("title")).isTrue();
            var type = panel.get("type").asString();
            if (type.equals("row") || type.equals("text")) {
                continue;
            }
            assertThat(panel.get("datasource").get("uid").asString()).as(panel.get("title").asString()).isEqualTo(OpsKit.DATASOURCE_UID);
            assertThat(panel.get("targets")).as(panel.get("title").asString()).isNotEmpty();
            for (var target : panel.get("targets")) {
                assertThat(target.get("datasource").get("uid").asString()).isEqualTo(OpsKit.DATASOURCE_UID);
                assertThat(target.get("expr").asString()).isNotBlank();
            }
        }
        for (var variable : dashboard.get("templating").get("list")) {
            assertThat(variable.get("datasource").get("uid").asString()).isEqualTo(OpsKit.DATASOURCE_UID);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theDashboardProviderLoadsAFolder() {
        var providers = (List<Map<String, Object>>) OpsKit.yaml(
                OpsKit.grafana("provisioning/dashboards/couponrush.yml")).get("providers");

        assertThat(providers).singleElement().satisfies(provider -> {
            assertThat(provider.get("type")).isEqualTo("file");
            assertThat((Map<String, Object>) provider.get("options")).containsKey("path");
        });
    }

    @Test
    void readsMetricNamesOutOfPromQL() {
        var expr = """
                histogram_quantile(0.99, sum by (le, strategy) (rate(a_seconds_bucket{code="x", job=~"$job"}[$__rate_interval])))
                / on (instance) group_left (pool) b_total offset 5m
                or max without (state) (c{state="open"} * 2) > bool 1e3 and vector(1)""";

        assertThat(OpsKit.metricNames(expr)).containsExactly("a_seconds_bucket", "b_total", "c");
        assertThat(OpsKit.matchers(expr)).extracting(OpsKit.Matcher::metric, OpsKit.Matcher::label, OpsKit.Matcher::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a_seconds_bucket", "code", "x"),
                        org.assertj.core.groups.Tuple.tuple("a_seconds_bucket", "job", "$job"),
                        org.assertj.core.groups.Tuple.tuple("c", "state", "open"));
        assertThat(OpsKit.variableSelector("label_values(m{job=~\"$job\"}, instance)")).contains("m{job=~\"$job\"}");
        assertThat(OpsKit.variableSelector("label_values(job)")).isEmpty();
        assertThat(OpsKit.scrapedSeries("""
                # TYPE x_total counter
                x_total{code="A",strategy="s"} 1.0
                y 2
                """)).isEqualTo(Map.of("x_total", Set.of("code", "strategy"), "y", Set.of()));
    }
}
