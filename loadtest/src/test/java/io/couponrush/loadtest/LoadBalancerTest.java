package io.couponrush.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadBalancerTest {

    /** Surefire runs in loadtest/; the template is the checked-in one, not a copy. */
    private static final Path TEMPLATE = Path.of("..").resolve(LoadBalancer.TEMPLATE);
    private static final Path HAPROXY = Path.of("/usr/sbin/haproxy");
    private static final List<URI> THREE = List.of(URI.create("http://127.0.0.1:41001"),
            URI.create("http://127.0.0.1:41002"), URI.create("http://127.0.0.1:41003"));

    @Test
    void rendersOneServerLinePerInstanceInTheHarnesssOrder() throws IOException {
        var config = LoadBalancer.render(Files.readString(TEMPLATE), "127.0.0.1:40999", Path.of("/tmp/lb/admin.sock"),
                THREE);

        assertThat(config.lines().filter(line -> line.trim().startsWith("server ")).toList()).containsExactly(
                "    server instance0 127.0.0.1:41001",
                "    server instance1 127.0.0.1:41002",
                "    server instance2 127.0.0.1:41003");
        assertThat(config).contains("    bind 127.0.0.1:40999\n")
                .contains("stats socket /tmp/lb/admin.sock ")
                .doesNotContain("@@");
    }

    @Test
    void theTemplateBalancesByInFlightRequestsAndChecksReadinessOverKeepAlive() throws IOException {
        var lines = Files.readAllLines(TEMPLATE).stream().map(String::trim)
                .filter(line -> !line.startsWith("#")).toList();

        assertThat(lines).contains("balance leastconn", "option httpchk", "http-check expect status 200",
                "option http-keep-alive", "http-reuse safe");
        assertThat(lines).anyMatch(line -> line.startsWith("http-check send meth GET uri /actuator/health/readiness"));
        assertThat(lines).anyMatch(line -> line.startsWith("default-server check ") && line.contains(" maxconn "));
        // the service bounds its own waits below a minute: the proxy must not cut an answer short
        assertThat(lines).contains("timeout server 65s");
        // HAProxy's own 503 is the service's OVERLOADED problem, so clients see one defined answer
        assertThat(lines).anyMatch(line -> line.startsWith("http-error status 503")
                && line.contains("application/problem+json") && line.contains("\\\"code\\\":\\\"OVERLOADED\\\"")
                && line.endsWith("hdr Retry-After 1"));
    }

    @Test
    void theRenderedTemplateIsAConfigurationHaproxyAccepts(@TempDir Path directory) throws Exception {
        assumeTrue(Files.isExecutable(HAPROXY), "no " + HAPROXY + ": scripts/install-packages.sh installs it");
        var config = directory.resolve("haproxy.cfg");
        Files.writeString(config, LoadBalancer.render(Files.readString(TEMPLATE), "127.0.0.1:40999",
                directory.resolve("admin.sock"), THREE));

        var check = new ProcessBuilder(HAPROXY.toString(), "-c", "-f", config.toString()).redirectErrorStream(true)
                .start();
        var output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).as(output).isZero();
        assertThat(output).as("no warning either").doesNotContain("WARNING").doesNotContain("ALERT");
    }

    @Test
    void theProductionRendererWritesWhatTheBenchMeasures() throws Exception {
        var script = Path.of("..", "deploy", "haproxy", "render.sh");
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "no bash");
        var render = new ProcessBuilder("/bin/bash", script.toString(), "127.0.0.1:40999", "/tmp/lb/admin.sock",
                "127.0.0.1:41001", "127.0.0.1:41002", "127.0.0.1:41003").start();
        var output = new String(render.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        var errors = new String(render.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(render.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(render.exitValue()).as(errors).isZero();
        assertThat(output).isEqualTo(LoadBalancer.render(Files.readString(TEMPLATE), "127.0.0.1:40999",
                Path.of("/tmp/lb/admin.sock"), THREE));
    }

    @Test
    void refusesATemplateWithoutThePlaceForTheServers() {
        assertThatThrownBy(() -> LoadBalancer.render("frontend x\n    bind @@BIND@@\n# @@STATS_SOCKET@@\n", "x:1",
                Path.of("/s"), THREE)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("@@SERVERS@@");
    }

    @Test
    void refusesAPlaceholderNobodyFills() {
        assertThatThrownBy(() -> LoadBalancer.render("@@BIND@@ @@STATS_SOCKET@@\n@@SERVERS@@\n@@MAXCONN@@\n", "x:1",
                Path.of("/s"), THREE)).hasMessageContaining("@@MAXCONN@@");
    }

    @Test
    void refusesNoInstanceAndAnInstanceWithoutAPort() {
        var template = "@@BIND@@ @@STATS_SOCKET@@\n@@SERVERS@@\n";
        assertThatThrownBy(() -> LoadBalancer.render(template, "x:1", Path.of("/s"), List.of()))
                .hasMessageContaining("no instance");
        assertThatThrownBy(() -> LoadBalancer.render(template, "x:1", Path.of("/s"),
                List.of(URI.create("http://127.0.0.1")))).hasMessageContaining("needs a host and a port");
    }

    @Test
    void aServerCountsAsUpOnlyOnceItPassedAHealthCheck() throws IOException {
        // Captured from HAProxy 2.6 a moment after its start: a server begins "UP 1/2" before any check.
        var servers = LoadBalancer.servers(resource("show-stat-starting.csv"));

        assertThat(servers).extracting(LoadBalancer.Server::name).containsExactly("node1", "node2");
        assertThat(servers).extracting(LoadBalancer.Server::status).containsExactly("DOWN", "UP 1/2");
        assertThat(servers).extracting(LoadBalancer.Server::checkStatus).containsExactly("L4CON", "INI");
        assertThat(servers).noneMatch(LoadBalancer.Server::checkedUp);
    }

    @Test
    void readsEachServersCountersFromShowStat() throws IOException {
        // Captured after two requests to node1, node2 never listening.
        var servers = LoadBalancer.servers(resource("show-stat-one-down.csv"));

        assertThat(servers).extracting(LoadBalancer.Server::checkedUp).containsExactly(true, false);
        assertThat(servers.getFirst().requests()).isEqualTo(2);
        assertThat(LoadBalancer.describe(servers)).isEqualTo("node1 2, node2 0; queued at most 0, connection errors 0,"
                + " response errors 0, retries 0, redispatches 0");
    }

    @Test
    void describesTheSpreadAndWhatWentWrongBetweenProxyAndInstances() {
        var servers = List.of(
                new LoadBalancer.Server("instance0", "UP", "L7OK", 12_345, 3, 0, 1, 2, 2),
                new LoadBalancer.Server("instance1", "UP", "L7OK", 12_001, 7, 1, 0, 1, 1));

        assertThat(LoadBalancer.describe(servers)).isEqualTo("instance0 12,345, instance1 12,001; queued at most 7,"
                + " connection errors 1, response errors 1, retries 3, redispatches 3");
    }

    @Test
    void refusesAnAnswerThatIsNotAStatTable() {
        assertThatThrownBy(() -> LoadBalancer.servers("Unknown command\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a show stat answer");
    }

    private static String resource(String name) throws IOException {
        try (var in = Objects.requireNonNull(LoadBalancerTest.class.getResourceAsStream("/haproxy/" + name), name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
