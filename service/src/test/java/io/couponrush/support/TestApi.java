package io.couponrush.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Real HTTP against the running server: what a client sees, headers and all. */
public final class TestApi {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http;
    private final String base;

    public TestApi(int port) {
        this.base = "http://127.0.0.1:" + port;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    public Response get(String path, String token) {
        return send(request(path, token).GET());
    }

    public Response post(String path, String token, Object body) {
        return send(request(path, token)
                .header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : json(body)));
    }

    /** A POST with a JSON body (or none) and extra headers (cookies, forwarded addresses). */
    public Response post(String path, String token, Object body, java.util.Map<String, String> headers) {
        var builder = request(path, token)
                .header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : json(body));
        headers.forEach(builder::header);
        return send(builder);
    }

    /** A POST without a body and with extra headers. */
    public Response postWithHeaders(String path, String token, java.util.Map<String, String> headers) {
        var builder = request(path, token).POST(HttpRequest.BodyPublishers.noBody());
        headers.forEach(builder::header);
        return send(builder);
    }

    public Response put(String path, String token, Object body) {
        return send(request(path, token)
                .header("Content-Type", "application/json")
                .PUT(json(body)));
    }

    /** A request with a raw body and content type, for malformed input. */
    public Response raw(String method, String path, String token, String contentType, String body) {
        var builder = request(path, token).method(method, HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        return send(builder);
    }

    private HttpRequest.Builder request(String path, String token) {
        var builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private static HttpRequest.BodyPublisher json(Object body) {
        return HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.writeValueAsString(body));
    }

    private Response send(HttpRequest.Builder request) {
        try {
            var response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""),
                    response.headers(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException("request failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public record Response(int status, String contentType, java.net.http.HttpHeaders headers, String body) {

        public JsonNode json() {
            return JSON.readTree(body);
        }

        /** The problem+json {@code code}, or {@code ISSUED}/{@code OK} for a success. */
        public String code() {
            if (status / 100 == 2) {
                return status == 201 && body.contains("userCouponId") ? "ISSUED" : "OK";
            }
            var node = json().get("code");
            return node == null ? "NO_CODE(" + status + ")" : node.asString();
        }

        public boolean isProblem() {
            return contentType.startsWith("application/problem+json");
        }
    }
}
