package io.couponrush.loadtest.costs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code costs.json}: every measured row with its raw counters (enough to recompute anything) and, for a
 * reader, the same per request. The capacity model reads it back ({@link #read}).
 *
 * @param cpu      the CPU model the milliseconds belong to
 * @param measured when the run started
 */
public record CostsFile(Instant measured, String cpu, int cores, String command, String service,
                        TierCost background, List<TierCost> rows) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public CostsFile {
        rows = List.copyOf(rows);
    }

    public void write(Path file) throws IOException {
        var root = JSON.createObjectNode();
        root.put("measured", measured.toString());
        var machine = root.putObject("machine");
        machine.put("cpu", cpu);
        machine.put("cores", cores);
        root.put("command", command);
        root.put("service", service);
        root.put("clockTicksPerSecond", ProcessCpu.ticksPerSecond());
        root.put("notes", "cpuMillis: CPU time per tier (utime+stime of the tier's processes), background subtracted;"
                + " redis.commands: INFO commandstats [calls, usec] (commands inside scripts counted under their own"
                + " names); redis.reads: total_reads_processed (round trips); database: SHOW GLOBAL STATUS diffs,"
                + " statements = Questions - Com_show_status.");
        if (background != null) {
            root.set("background", row(background));
        }
        var array = root.putArray("rows");
        rows.forEach(row -> array.add(row(row)));
        Files.writeString(file, JSON.writeValueAsString(root));
    }

    private static ObjectNode row(TierCost cost) {
        var node = JSON.createObjectNode();
        node.put("scenario", cost.scenario());
        node.put("row", cost.row());
        node.put("phase", cost.phase());
        node.put("instances", cost.instances());
        node.put("requests", cost.requests());
        node.put("grants", cost.grants());
        node.put("seconds", round(cost.seconds()));
        node.put("loadAverage", cost.loadAverage());
        var cpu = node.putObject("cpuMillis");
        cost.cpuMillis().forEach((tier, millis) -> cpu.put(tier.id(), round(millis)));
        if (cost.redis() != null) {
            var redis = node.putObject("redis");
            redis.put("reads", cost.redis().reads());
            var commands = redis.putObject("commands");
            cost.redis().calls().forEach((name, values) -> commands.putArray(name).add(values[0]).add(values[1]));
        }
        if (cost.database() != null) {
            var db = node.putObject("database");
            db.put("statements", cost.database().statements());
            var counters = db.putObject("counters");
            cost.database().values().forEach(counters::put);
        }
        var per = node.putObject("perRequest");
        for (var tier : Tier.values()) {
            if (cost.measured(tier)) {
                per.put(tier.id() + "CpuMs", round(cost.cpuPerRequest(tier)));
            }
        }
        putNumber(per, "redisCommands", cost.redisCommandsPerRequest());
        putNumber(per, "redisScripts", cost.redisScriptsPerRequest());
        putNumber(per, "redisRoundTrips", cost.redisRoundTripsPerRequest());
        putNumber(per, "dbStatements", cost.dbStatementsPerRequest());
        var perGrant = node.putObject("perGrant");
        putNumber(perGrant, "dbStatements", cost.dbStatementsPerGrant());
        putNumber(perGrant, "dbCpuMs", cost.dbCpuPerGrant());
        return node;
    }

    private static void putNumber(ObjectNode node, String name, double value) {
        if (!Double.isNaN(value)) {
            node.put(name, round(value));
        }
    }

    private static double round(double value) {
        return Math.round(value * 1e6) / 1e6;
    }

    public static CostsFile read(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            return read(in);
        }
    }

    public static CostsFile read(InputStream in) throws IOException {
        var root = JSON.readTree(in);
        var rows = new ArrayList<TierCost>();
        root.path("rows").forEach(node -> rows.add(cost(node)));
        return new CostsFile(Instant.parse(root.path("measured").asText("1970-01-01T00:00:00Z")),
                root.path("machine").path("cpu").asText("unknown CPU"), root.path("machine").path("cores").asInt(0),
                root.path("command").asText(""), root.path("service").asText(""),
                root.has("background") ? cost(root.get("background")) : null, rows);
    }

    private static TierCost cost(JsonNode node) {
        var cpu = new EnumMap<Tier, Double>(Tier.class);
        for (var tier : Tier.values()) {
            if (node.path("cpuMillis").has(tier.id())) {
                cpu.put(tier, node.path("cpuMillis").get(tier.id()).asDouble());
            }
        }
        RedisCounters redis = null;
        if (node.has("redis")) {
            var calls = new TreeMap<String, long[]>();
            node.path("redis").path("commands").properties().forEach(entry ->
                    calls.put(entry.getKey(), new long[] {entry.getValue().get(0).asLong(), entry.getValue().get(1).asLong()}));
            redis = new RedisCounters(calls, node.path("redis").path("reads").asLong());
        }
        DatabaseCounters database = null;
        if (node.has("database")) {
            var values = new TreeMap<String, Long>();
            node.path("database").path("counters").properties().forEach(entry -> values.put(entry.getKey(),
                    entry.getValue().asLong()));
            database = new DatabaseCounters(values);
        }
        return new TierCost(node.path("scenario").asText(), node.path("row").asText(), node.path("phase").asText(),
                node.path("instances").asInt(1), node.path("requests").asLong(), node.path("grants").asLong(),
                node.path("seconds").asDouble(), cpu, redis, database, node.path("loadAverage").asText(""));
    }

    /**
     * The row of a strategy (or {@code ping}) in a phase, if measured: the {@code costs} scenario's when there is
     * one (another scenario's trivial endpoint shares the phase name {@code ping}).
     */
    public Optional<TierCost> find(String row, String phase) {
        var matching = rows.stream().filter(cost -> cost.row().equals(row) && cost.phase().equals(phase)).toList();
        return matching.stream().filter(cost -> cost.scenario().equals("costs")).findFirst()
                .or(() -> matching.stream().findFirst());
    }

    /** Rows by strategy, for a listing. */
    public Map<String, List<TierCost>> byRow() {
        var map = new TreeMap<String, List<TierCost>>();
        rows.forEach(cost -> map.computeIfAbsent(cost.row(), key -> new ArrayList<>()).add(cost));
        return map;
    }
}
