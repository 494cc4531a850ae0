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
    void aTruncatedResponseIsNoAnswer() {
        assertThatThrownBy(() -> RawConnection.read(wire("HTTP/1.1 201 \r\nContent-Length: 50\r\n\r\n{\"userCo")))
                .isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> RawConnection.read(wire("garbage\r\n\r\n"))).isInstanceOf(IOException.class);
    }
}
