package io.couponrush.loadtest.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RawConnectionTest {

    private static InputStream wire(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsABodyByItsContentLengthAndLeavesTheNextResponseOnTheWire() throws IOException {
        var in = wire("HTTP/1.1 201 \r\nContent-Type: application/json\r\nContent-Length: 18\r\n\r\n{\"userCouponId\":1}"
                + "HTTP/1.1 200 \r\nContent-Length: 2\r\n\r\nok");

        var first = RawConnection.read(in);
        var second = RawConnection.read(in);

        assertThat(first.status()).isEqualTo(201);
        assertThat(first.body()).isEqualTo("{\"userCouponId\":1}");
        assertThat(first.keepAlive()).isTrue();
        assertThat(second.body()).isEqualTo("ok");
    }

    @Test
    void readsAChunkedProblem() throws IOException {
        var in = wire("HTTP/1.1 409 \r\nTransfer-Encoding: chunked\r\nContent-Type: application/problem+json\r\n\r\n"
                + "10\r\n{\"code\":\"COUPON_\r\n"
                + "a;ext=1\r\nSOLD_OUT\"}\r\n"
                + "0\r\n\r\n");

        var response = RawConnection.read(in);

        assertThat(response.status()).isEqualTo(409);
        assertThat(response.body()).isEqualTo("{\"code\":\"COUPON_SOLD_OUT\"}");
    }

    @Test
    void aConnectionCloseHeaderEndsKeepAlive() throws IOException {
        var response = RawConnection.read(wire("HTTP/1.1 503 \r\nConnection: close\r\nContent-Length: 0\r\n\r\n"));

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.keepAlive()).isFalse();
    }

    @Test
    void readsRetryAfter() throws IOException {
        var busy = RawConnection.read(wire("HTTP/1.1 503 \r\nRetry-After: 7\r\nContent-Length: 0\r\n\r\n"));
        var fine = RawConnection.read(wire("HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n"));

        assertThat(busy.retryAfter()).isEqualTo("7");
        assertThat(fine.retryAfter()).isNull();
    }

    @Test
    void writesHeadersAndAJsonBodyWithItsLengthInBytes() throws IOException {
        try (var server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             var connection = RawConnection.open(java.net.URI.create("http://127.0.0.1:" + server.getLocalPort()),
                     java.time.Duration.ofSeconds(1))) {
            var post = new String(connection.request("POST", "/api/v1/auth/login", java.util.Map.of("X-A", "b"),
                    "{\"email\":\"é\"}"), java.nio.charset.StandardCharsets.UTF_8);
            var get = new String(connection.request("GET", "/actuator/health/liveness", null),
                    java.nio.charset.StandardCharsets.US_ASCII);

            assertThat(post).isEqualTo("POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1:" + server.getLocalPort()
                    + "\r\nAccept: application/json\r\nX-A: b\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 14\r\n\r\n{\"email\":\"é\"}");
            assertThat(get).endsWith("Accept: application/json\r\n\r\n").doesNotContain("Authorization")
                    .doesNotContain("Content-Length");
        }
    }

    @Test
    void aTruncatedResponseIsNoAnswer() {
        assertThatThrownBy(() -> RawConnection.read(wire("HTTP/1.1 201 \r\nContent-Length: 50\r\n\r\n{\"userCo")))
                .isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> RawConnection.read(wire("garbage\r\n\r\n"))).isInstanceOf(IOException.class);
    }
}
