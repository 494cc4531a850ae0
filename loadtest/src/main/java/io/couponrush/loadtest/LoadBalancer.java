package io.couponrush.loadtest;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * HAProxy (the machine's binary) in front of the service instances, run in the foreground as a
 * child process ({@code -db}) so that its pid is HAProxy's own and stopping it stops nothing else.
 * Its configuration is the checked-in template {@code deploy/haproxy/haproxy.cfg.template} with the
 * instances filled in: the bench measures the configuration a deployment would use.
 */
public final class LoadBalancer implements AutoCloseable {

    /** Relative to the project's root. */
    public static final Path TEMPLATE = Path.of("deploy", "haproxy", "haproxy.cfg.template");
    /** The template's frontend and backend. */
    static final String BACKEND = "couponrush";
    static final String BIND = "@@BIND@@";
    static final String STATS_SOCKET = "@@STATS_SOCKET@@";
    static final String SERVERS = "@@SERVERS@@";
    private static final Pattern LEFTOVER = Pattern.compile("@@[A-Z_]+@@");
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path socket;
    private final Path log;
    private final URI baseUri;
    private boolean stopped;

    private LoadBalancer(Process process, Path socket, Path log, URI baseUri) {
        this.process = process;
        this.socket = socket;
        this.log = log;
        this.baseUri = baseUri;
    }

    /**
     * The template with its placeholders filled in: the frontend's address, the admin socket and one
     * {@code server instance<i> host:port} line per instance, in the order given (the harness's
     * instance index, as in {@code service-<i>-node<id>.log}).
     */
    static String render(String template, String bind, Path statsSocket, List<URI> instances) {
        for (var placeholder : List.of(BIND, STATS_SOCKET, SERVERS)) {
            if (!template.contains(placeholder)) {
                throw new IllegalArgumentException("the HAProxy template has no " + placeholder);
            }
        }
        if (instances.isEmpty()) {
            throw new IllegalArgumentException("no instance to balance");
        }
        var rendered = template.replace(BIND, bind)
                .replace(STATS_SOCKET, statsSocket.toString())
                .replace(SERVERS, serverLines(instances));
        var leftover = LEFTOVER.matcher(rendered);
        if (leftover.find()) {
            throw new IllegalArgumentException("the HAProxy template has a placeholder nobody fills: " + leftover.group());
        }
        return rendered;
    }

    static String serverLines(List<URI> instances) {
        var lines = new ArrayList<String>();
        for (int i = 0; i < instances.size(); i++) {
            var uri = instances.get(i);
            if (uri.getHost() == null || uri.getPort() < 1) {
                throw new IllegalArgumentException("an instance needs a host and a port: " + uri);
            }
            lines.add("    server %s %s:%d".formatted(serverName(i), uri.getHost(), uri.getPort()));
        }
        return String.join("\n", lines);
    }

    static String serverName(int index) {
        return "instance" + index;
    }

    /**
     * Writes the configuration, has HAProxy check it ({@code -c}: a broken template fails here with
     * HAProxy's own words), then starts it listening on {@code 127.0.0.1:port}.
     */
    public static LoadBalancer start(Path haproxy, Path template, Path config, Path statsSocket, int port,
                                     List<URI> instances, Path log) throws IOException, InterruptedException {
        if (!Files.isExecutable(haproxy)) {
            throw new IOException(haproxy + " is not there: scripts/install-packages.sh installs HAProxy"
                    + " (Debian's haproxy package), or point -Dbench.haproxy at it");
        }
        var text = render(Files.readString(template), "127.0.0.1:" + port, statsSocket, instances);
        Files.createDirectories(config.getParent());
        Files.writeString(config, text);
        var check = new ProcessBuilder(haproxy.toString(), "-c", "-f", config.toString()).redirectErrorStream(true)
                .start();
        var checked = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!check.waitFor(30, TimeUnit.SECONDS) || check.exitValue() != 0) {
            throw new IOException("HAProxy refused " + config + ":\n" + checked.trim());
        }
        Files.createDirectories(log.getParent());
        var process = new ProcessBuilder(haproxy.toString(), "-f", config.toString(), "-db")
                .redirectErrorStream(true).redirectOutput(Redirect.appendTo(log.toFile())).start();
        return new LoadBalancer(process, statsSocket, log, URI.create("http://127.0.0.1:" + port));
    }

    /**
     * Until every instance has passed a health check (status UP after a layer-7 check, not merely
     * the state a server starts in), read from HAProxy's own admin socket.
     */
    public void awaitAllUp(int instances, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer on " + socket;
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("HAProxy exited with code " + process.exitValue() + "; log " + log + ":\n"
                        + tail(20));
            }
            try {
                var servers = servers(stat());
                if (servers.size() == instances && servers.stream().allMatch(Server::checkedUp)) {
                    return;
                }
                last = servers.stream().map(server -> server.name() + " " + server.status() + " ("
                        + server.checkStatus() + ")").collect(Collectors.joining(", "));
            } catch (IOException notYet) {
                last = notYet.getMessage(); // the socket is not there yet
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("HAProxy did not see all %d instances up within %d s: %s".formatted(instances,
                        timeout.toSeconds(), last));
            }
            // another process's health checks: nothing to wait on but time between two looks
            Thread.sleep(200);
        }
    }

    /** HAProxy's counters, one row per proxy, server, frontend and backend ({@code show stat}). */
    public String stat() throws IOException {
        try (var channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap("show stat\n".getBytes(StandardCharsets.US_ASCII)));
            var out = new java.io.ByteArrayOutputStream();
            var buffer = ByteBuffer.allocate(16 * 1024);
            while (channel.read(buffer) >= 0) {
                out.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    /**
     * One instance as HAProxy saw it.
     *
     * @param requests      requests HAProxy sent it ({@code stot}: in HTTP mode one per request)
     * @param queueMax      the most requests that waited for a slot on it at once
     * @param connectErrors connections to it that failed
     * @param responseErrors answers from it that were cut or invalid
     * @param retries       requests retried after a failed connection to it
     * @param redispatches  of those, sent to another instance
     */
    record Server(String name, String status, String checkStatus, long requests, long queueMax, long connectErrors,
                  long responseErrors, long retries, long redispatches) {

        boolean checkedUp() {
            return status.equals("UP") && checkStatus.equals("L7OK");
        }
    }

    /** The backend's servers from a {@code show stat} answer (CSV, header line starting with "# "). */
    static List<Server> servers(String stat) {
        var lines = stat.lines().filter(line -> !line.isBlank()).toList();
        if (lines.isEmpty() || !lines.getFirst().startsWith("# ")) {
            throw new IllegalArgumentException("not a show stat answer: " + stat.lines().findFirst().orElse(""));
        }
        var header = lines.getFirst().substring(2).split(",", -1);
        var column = new LinkedHashMap<String, Integer>();
        for (int i = 0; i < header.length; i++) {
            column.put(header[i], i);
        }
        var servers = new ArrayList<Server>();
        for (var line : lines.subList(1, lines.size())) {
            var fields = line.split(",", -1);
            var values = new LinkedHashMap<String, String>();
            column.forEach((name, index) -> values.put(name, index < fields.length ? fields[index] : ""));
            var name = values.get("svname");
            if (!BACKEND.equals(values.get("pxname")) || name.equals("FRONTEND") || name.equals("BACKEND")) {
                continue;
            }
            servers.add(new Server(name, values.get("status"), values.get("check_status"), number(values, "stot"),
                    number(values, "qmax"), number(values, "econ"), number(values, "eresp"), number(values, "wretr"),
                    number(values, "wredis")));
        }
        return List.copyOf(servers);
    }

    private static long number(Map<String, String> values, String name) {
        var value = values.get(name);
        return value == null || value.isBlank() ? 0 : Long.parseLong(value);
    }

    /** For the report: the requests each instance got, and whatever went wrong between HAProxy and them. */
    static String describe(List<Server> servers) {
        var counts = servers.stream().map(server -> "%s %,d".formatted(server.name(), server.requests()))
                .collect(Collectors.joining(", "));
        return "%s; queued at most %d, connection errors %d, response errors %d, retries %d, redispatches %d".formatted(
                counts, servers.stream().mapToLong(Server::queueMax).max().orElse(0),
                servers.stream().mapToLong(Server::connectErrors).sum(),
                servers.stream().mapToLong(Server::responseErrors).sum(),
                servers.stream().mapToLong(Server::retries).sum(),
                servers.stream().mapToLong(Server::redispatches).sum());
    }

    /** What {@link #describe(List)} says for this HAProxy now, or why it cannot. */
    public String traffic() {
        try {
            return describe(servers(stat()));
        } catch (IOException | RuntimeException e) {
            return "(HAProxy's counters unreadable: " + e.getMessage() + ")";
        }
    }

    /** "HAProxy 2.6.12-1+deb12u4", from {@code haproxy -v}. */
    public static String version(Path haproxy) {
        try {
            var process = new ProcessBuilder(haproxy.toString(), "-v").redirectErrorStream(true).start();
            var first = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().findFirst()
                    .orElse("");
            var words = Arrays.asList(first.split("\\s+"));
            int at = words.indexOf("version");
            return at >= 0 && at + 1 < words.size() ? "HAProxy " + words.get(at + 1) : "HAProxy";
        } catch (IOException e) {
            return "HAProxy (version unknown)";
        }
    }

    public URI baseUri() {
        return baseUri;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    public String tail(int lines) {
        return ServiceProcess.tail(log, lines);
    }

    /** SIGTERM (HAProxy's hard stop: it closes its connections and exits), SIGKILL if it lingers. */
    @Override
    public synchronized void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
