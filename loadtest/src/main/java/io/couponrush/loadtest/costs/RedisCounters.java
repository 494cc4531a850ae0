package io.couponrush.loadtest.costs;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Redis's own counters: {@code INFO commandstats} (calls and microseconds per command) and, from
 * {@code INFO stats}, {@code total_reads_processed}.
 *
 * <p>How they are counted: Redis counts a command run inside a Lua script under its own name as well
 * (an {@code EVALSHA} whose script calls {@code HGET} twice counts 1 {@code evalsha} and 2 {@code hget}),
 * so {@link #commands()} is what Redis executed, the measure of its work, and {@link #scripts()} the
 * script runs. A round trip is one read of a client's socket ({@link #reads()}): one request, or several
 * pipelined commands that arrived together. The harness's own {@code INFO} (one command, and a read for it
 * and one for its connection's end, per snapshot) is left out.
 *
 * @param calls  per command (lower case): calls, microseconds
 * @param reads  {@code total_reads_processed}
 */
public record RedisCounters(Map<String, long[]> calls, long reads) {

    /** Commands the harness sends itself, never the service's work. */
    static final Set<String> HARNESS = Set.of("info", "config");
    static final Set<String> SCRIPT_RUNS = Set.of("eval", "evalsha", "eval_ro", "evalsha_ro", "fcall", "fcall_ro");

    public static final RedisCounters NONE = new RedisCounters(Map.of(), 0);

    public RedisCounters {
        var copy = new TreeMap<String, long[]>();
        calls.forEach((name, values) -> copy.put(name, values.clone()));
        calls = copy;
    }

    /** Both sections in one command, so a snapshot costs Redis one read and one command. */
    public static RedisCounters read(int port) throws IOException {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write("INFO stats commandstats\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return parse(bulkString(socket.getInputStream()));
        }
    }

    private static String bulkString(InputStream in) throws IOException {
        var header = new StringBuilder();
        int next;
        while ((next = in.read()) != '\n') {
            if (next < 0) {
                throw new IOException("Redis closed the connection");
            }
            header.append((char) next);
        }
        var line = header.toString().trim();
        if (!line.startsWith("$")) {
            throw new IOException("Redis answered INFO with " + line);
        }
        var body = in.readNBytes(Integer.parseInt(line.substring(1)));
        return new String(body, StandardCharsets.UTF_8);
    }

    static RedisCounters parse(String info) {
        var calls = new TreeMap<String, long[]>();
        long reads = 0;
        for (var raw : info.split("\r?\n")) {
            var line = raw.trim();
            if (line.startsWith("cmdstat_")) {
                int colon = line.indexOf(':');
                var name = line.substring("cmdstat_".length(), colon).toLowerCase();
                long count = 0;
                long usec = 0;
                for (var pair : line.substring(colon + 1).split(",")) {
                    var kv = pair.split("=", 2);
                    if (kv[0].equals("calls")) {
                        count = Long.parseLong(kv[1]);
                    } else if (kv[0].equals("usec")) {
                        usec = Long.parseLong(kv[1]);
                    }
                }
                calls.put(name, new long[] {count, usec});
            } else if (line.startsWith("total_reads_processed:")) {
                reads = Long.parseLong(line.substring(line.indexOf(':') + 1));
            }
        }
        return new RedisCounters(calls, reads);
    }

    /** What happened between {@code before} and this, without the one snapshot's own INFO. */
    public RedisCounters minus(RedisCounters before) {
        var diff = new TreeMap<String, long[]>();
        calls.forEach((name, values) -> {
            var old = before.calls.getOrDefault(name, new long[2]);
            long count = values[0] - old[0];
            if (count > 0 && !HARNESS.contains(name)) {
                diff.put(name, new long[] {count, values[1] - old[1]});
            }
        });
        // the harness's reads: the later snapshot's INFO, and the end of the earlier snapshot's connection
        return new RedisCounters(diff, Math.max(0, reads - before.reads - 2));
    }

    /** Every command Redis executed, those inside scripts included. */
    public long commands() {
        return calls.entrySet().stream().filter(e -> !HARNESS.contains(e.getKey())).mapToLong(e -> e.getValue()[0]).sum();
    }

    /** Script runs ({@code EVAL}, {@code EVALSHA}, {@code FCALL}, read-only forms). */
    public long scripts() {
        return calls.entrySet().stream().filter(e -> SCRIPT_RUNS.contains(e.getKey())).mapToLong(e -> e.getValue()[0])
                .sum();
    }

    /**
     * Microseconds Redis spent executing the top-level commands (a script's time includes its inner
     * commands, whose own usec are not added again). Parsing, networking and the event loop are not in it:
     * the process's CPU time is.
     */
    public long executionMicros() {
        if (scripts() == 0) {
            return calls.entrySet().stream().filter(e -> !HARNESS.contains(e.getKey())).mapToLong(e -> e.getValue()[1])
                    .sum();
        }
        // with scripts, inner commands' time is already inside the script's: count script time only,
        // plus commands no script could have run (none is known here, so script time is a lower bound)
        return calls.entrySet().stream().filter(e -> SCRIPT_RUNS.contains(e.getKey())).mapToLong(e -> e.getValue()[1])
                .sum();
    }

    /** Calls per command, for the JSON file. */
    public Map<String, Long> byCommand() {
        var map = new TreeMap<String, Long>();
        calls.forEach((name, values) -> {
            if (!HARNESS.contains(name)) {
                map.put(name, values[0]);
            }
        });
        return map;
    }

    /** Scaled (the background's rate times a phase's seconds), for subtraction. */
    RedisCounters scaled(double factor) {
        var map = new TreeMap<String, long[]>();
        calls.forEach((name, values) -> map.put(name,
                new long[] {Math.round(values[0] * factor), Math.round(values[1] * factor)}));
        return new RedisCounters(map, Math.round(reads * factor));
    }

    /** This minus a background, never below zero. */
    RedisCounters less(RedisCounters background) {
        var map = new TreeMap<String, long[]>();
        calls.forEach((name, values) -> {
            var bg = background.calls.getOrDefault(name, new long[2]);
            long count = Math.max(0, values[0] - bg[0]);
            if (count > 0) {
                map.put(name, new long[] {count, Math.max(0, values[1] - bg[1])});
            }
        });
        return new RedisCounters(map, Math.max(0, reads - background.reads));
    }
}
