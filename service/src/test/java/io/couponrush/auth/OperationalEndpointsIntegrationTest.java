package io.couponrush.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import io.couponrush.IntegrationTest;
import io.couponrush.support.TestApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

/** Metrics need an ADMIN; the probes stay open; the API document names no server a client made up. */
class OperationalEndpointsIntegrationTest extends IntegrationTest {

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/prometheus", "/actuator/metrics", "/actuator/metrics/jvm.memory.used", "/actuator/info"})
    void metricsNeedAnAdmin(String path) {
        var anonymous = api.get(path, null);
        var user = api.get(path, fixtures.user().token());
        var admin = api.get(path, fixtures.admin().token());

        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.code()).isEqualTo("UNAUTHORIZED");
        assertThat(anonymous.body()).doesNotContain("bytes", "jvm_");
        assertThat(user.status()).isEqualTo(403);
        assertThat(user.code()).isEqualTo("FORBIDDEN");
        assertThat(admin.status()).isEqualTo(200);
    }

    @Test
    void prometheusAnswersAnAdmin() {
        assertThat(api.get("/actuator/prometheus", fixtures.admin().token()).body()).contains("jvm_memory_used_bytes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness"})
    void probesStayPublic(String path) {
        var answer = api.get(path, null);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().get("status").asString()).isEqualTo("UP");
    }

    /** Sent as raw HTTP: Java's client will not forge a Host header. */
    @Test
    void theApiDocumentDoesNotEchoTheRequestsHost() {
        int port = context.getBean(Environment.class).getRequiredProperty("local.server.port", Integer.class);
        var body = rawGet(port, "/v3/api-docs", "Host: evil.example:6666\r\nX-Forwarded-Host: evil2.example\r\n"
                + "X-Forwarded-Proto: https\r\nX-Forwarded-Port: 7777\r\n");

        assertThat(body).doesNotContain("evil");
        var servers = TestApi.JSON.readTree(body).get("servers");
        assertThat(servers.size()).isEqualTo(1);
        assertThat(servers.get(0).get("url").asString()).isEqualTo("/");
    }

    private static String rawGet(int port, String path, String headers) {
        try (var socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\n" + headers + "Connection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            var response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 200");
            var body = response.substring(response.indexOf("\r\n\r\n") + 4);
            // chunked: the document is the one chunk between the size lines
            if (response.toLowerCase().contains("transfer-encoding: chunked")) {
                var out = new StringBuilder();
                var rest = body;
                while (true) {
                    int eol = rest.indexOf("\r\n");
                    int size = Integer.parseInt(rest.substring(0, eol).trim(), 16);
                    if (size == 0) {
                        break;
                    }
                    var bytes = rest.substring(eol + 2).getBytes(StandardCharsets.UTF_8);
                    out.append(new String(bytes, 0, size, StandardCharsets.UTF_8));
                    rest = new String(bytes, size + 2, bytes.length - size - 2, StandardCharsets.UTF_8);
                }
                return out.toString();
            }
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
