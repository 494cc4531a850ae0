package io.couponrush.loadtest.faults;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * One keep-alive HTTP/1.1 connection on a plain socket, for the staggered opening. The launcher
 * writes a request's bytes itself at its instant, so the order and time of the writes are the order
 * and time of the launches: no client pool opening connections lazily, no executor between the
 * launcher and the socket. A loopback write of a few hundred bytes into an idle connection does not
 * block. Reading happens on another thread (a socket reads and writes under separate locks). The
 * opening-door crowd uses it too: one connection per member, its requests one after the other.
 */
public final class RawConnection implements AutoCloseable {

    /** A parsed answer: the status, the body as text, and its {@code Retry-After} ({@code null} without one). */
    public record Response(int status, String body, boolean keepAlive, String retryAfter) {
    }

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final String host;

    private RawConnection(Socket socket, String host) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new BufferedInputStream(socket.getInputStream(), 8_192);
        this.host = host;
    }

    public static RawConnection open(URI base, Duration readTimeout) throws IOException {
        var socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
            socket.setSoTimeout(Math.toIntExact(readTimeout.toMillis()));
            return new RawConnection(socket, base.getHost() + ":" + base.getPort());
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** The bytes of one request without a body, ready to be written at the instant. */
    public byte[] request(String method, String path, String token) {
        return request(method, path, token == null ? Map.of() : Map.of("Authorization", "Bearer " + token), null);
    }

    /** The bytes of one request with these headers and, unless {@code null}, this JSON body. */
    public byte[] request(String method, String path, Map<String, String> headers, String json) {
        var text = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ").append(host)
                .append("\r\nAccept: application/json\r\n");
        headers.forEach((name, value) -> text.append(name).append(": ").append(value).append("\r\n"));
        var body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        if (json != null) {
            text.append("Content-Type: application/json\r\n");
        }
        if (json != null || !method.equals("GET")) {
            text.append("Content-Length: ").append(body.length).append("\r\n");
        }
        var head = text.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
        var request = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, request, head.length, body.length);
        return request;
    }

    public void write(byte[] request) throws IOException {
        out.write(request);
        out.flush();
    }

    public Response read() throws IOException {
        return read(in);
    }

    public Response exchange(byte[] request) throws IOException {
        write(request);
        return read();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a loopback socket after the run: nothing to do about it
        }
    }

    /** One HTTP/1.1 response: status line, headers, then a Content-Length or chunked body. */
    static Response read(InputStream in) throws IOException {
        var statusLine = line(in);
        var parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        long length = -1;
        boolean chunked = false;
        boolean keepAlive = parts[0].equals("HTTP/1.1");
        String retryAfter = null;
        for (var header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            var name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            var value = header.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.contains("chunked");
                case "connection" -> keepAlive = !value.contains("close");
                case "retry-after" -> retryAfter = value;
                default -> { }
            }
        }
        var body = new ByteArrayOutputStream();
        if (chunked) {
            for (long size = chunkSize(line(in)); size > 0; size = chunkSize(line(in))) {
                copy(in, body, size);
                line(in); // the CRLF after each chunk
            }
            for (var trailer = line(in); !trailer.isEmpty(); trailer = line(in)) {
                // trailers: none expected, skipped
            }
        } else if (length > 0) {
            copy(in, body, length);
        } else if (length < 0 && status >= 200 && status != 204 && status != 304) {
            in.transferTo(body); // no length: the body ends with the connection
            keepAlive = false;
        }
        return new Response(status, body.toString(StandardCharsets.UTF_8), keepAlive, retryAfter);
    }

    private static long chunkSize(String line) {
        int extension = line.indexOf(';');
        return Long.parseLong((extension < 0 ? line : line.substring(0, extension)).trim(), 16);
    }

    private static void copy(InputStream in, ByteArrayOutputStream body, long count) throws IOException {
        var buffer = new byte[(int) Math.min(count, 8_192)];
        long left = count;
        while (left > 0) {
            int read = in.read(buffer, 0, (int) Math.min(left, buffer.length));
            if (read < 0) {
                throw new EOFException("connection closed " + left + " bytes before the body's end");
            }
            body.write(buffer, 0, read);
            left -= read;
        }
    }

    private static String line(InputStream in) throws IOException {
        var line = new StringBuilder(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("connection closed mid-response");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
