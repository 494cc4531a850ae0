package io.couponrush.loadtest.wrk;

import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What one wrk run measured, as the bench's script prints it: latencies in microseconds.
 *
 * @param socketErrors connect, read and write errors together
 * @param codes        answers by HTTP status
 */
public record WrkResult(long requests, long durationMicros, long socketErrors, long timeouts, long p50, long p90,
                        long p99, long p999, long max, Map<Integer, Long> codes) {

    static final String MARKER = "WRK_RESULT ";
    private static final ObjectMapper JSON = new ObjectMapper();

    public double throughput() {
        return durationMicros == 0 ? 0 : requests * 1_000_000.0 / durationMicros;
    }

    public long count(int status) {
        return codes.getOrDefault(status, 0L);
    }

    /** The result line among wrk's output; absent when wrk printed none (it failed before {@code done}). */
    static java.util.Optional<WrkResult> parse(String output) {
        return output.lines().filter(line -> line.startsWith(MARKER)).findFirst().map(line -> {
            com.fasterxml.jackson.databind.JsonNode json;
            try {
                json = JSON.readTree(line.substring(MARKER.length()));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("wrk printed an unreadable result: " + line, e);
            }
            var codes = new TreeMap<Integer, Long>();
            json.get("codes").properties().forEach(entry -> codes.put(Integer.parseInt(entry.getKey()),
                    entry.getValue().asLong()));
            return new WrkResult(json.get("requests").asLong(), json.get("durationMicros").asLong(),
                    json.get("connectErrors").asLong() + json.get("readErrors").asLong()
                            + json.get("writeErrors").asLong(),
                    json.get("timeouts").asLong(), json.get("p50").asLong(), json.get("p90").asLong(),
                    json.get("p99").asLong(), json.get("p999").asLong(), json.get("max").asLong(), Map.copyOf(codes));
        });
    }
}
