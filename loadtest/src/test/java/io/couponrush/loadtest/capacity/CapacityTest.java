package io.couponrush.loadtest.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.couponrush.loadtest.costs.CostsFile;
import io.couponrush.loadtest.costs.DatabaseCounters;
import io.couponrush.loadtest.costs.RedisCounters;
import io.couponrush.loadtest.costs.Tier;
import io.couponrush.loadtest.costs.TierCost;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CapacityTest {

    /** The round numbers of {@link Costs#gate()}, as the bench would have written them for 10,000 requests. */
    private static Path costsFile(Path folder) throws Exception {
        var grants = new TierCost("costs", "redis-gate", "grants", 1, 10_000, 10_000, 10,
                Map.of(Tier.SERVICE, 5_000.0, Tier.REDIS, 200.0, Tier.DATABASE, 2_000.0, Tier.GENERATOR, 3_000.0),
                new RedisCounters(Map.of("evalsha", new long[] {10_000, 0}, "hget", new long[] {40_000, 0}), 10_000),
                new DatabaseCounters(Map.of("Questions", 3_000L, "Com_commit", 100L)), "1 1 1");
        var refusals = new TierCost("costs", "redis-gate", "refusals", 1, 10_000, 0, 10,
                Map.of(Tier.SERVICE, 2_000.0, Tier.REDIS, 100.0, Tier.DATABASE, 0.0, Tier.GENERATOR, 3_000.0),
                new RedisCounters(Map.of("evalsha", new long[] {10_000, 0}, "hget", new long[] {20_000, 0}), 10_000),
                new DatabaseCounters(Map.of("Questions", 0L)), "1 1 1");
        var file = folder.resolve("costs.json");
        new CostsFile(Instant.parse("2026-12-06T10:00:00Z"), "Test CPU", 2, "bench", "one instance", null,
                List.of(grants, refusals)).write(file);
        return file;
    }

    private static String run(String... args) throws Exception {
        var bytes = new ByteArrayOutputStream();
        try (var out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            assertThat(Capacity.run(args, out)).isZero();
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void answersTheOperatorsQuestionWithTheAssumptionsBesideIt(@TempDir Path folder) throws Exception {
        var output = run("--copies", "5000", "--users", "1000000", "--seconds", "10", "--costs",
                costsFile(folder).toString());

        assertThat(output).contains("measured 2026-12-06 on Test CPU (2 cores)",
                "Assumptions: arrival uniform", "headroom 0.6",
                "100,000 req/s × 0.2000 ms + 100,000 first presses/s × 0.0000 ms = 20.0 cores → 17 instances of 2 cores",
                "1 shard for this coupon: 100,000 round trips/s, 300,000 commands/s at the peak, 100 % of its",
                "DOES NOT FIT in one: split the coupon into subGates 2 on 2 masters, 50 % of each one's thread",
                "5,000 grants: 1,500 statements, 50 commits, 1.00 s of CPU",
                "refusal path: 0 statements in all");
    }

    @Test
    void simulatesThePlannedFleet(@TempDir Path folder) throws Exception {
        var output = run("--copies", "100", "--users", "20000", "--seconds", "2", "--costs",
                costsFile(folder).toString(), "--simulate", "--seed", "3");

        assertThat(output).contains("Simulation (discrete events, seed 3", "100 granted, 19,900 refused",
                "refusal path: 0 refusals reached it, 0.0 statements");
    }

    @Test
    void predictsTheBenchsOwnMachine(@TempDir Path folder) throws Exception {
        var output = run("--copies", "1000", "--users", "20000", "--seconds", "2", "--costs",
                costsFile(folder).toString(), "--shared-cores", "2");

        // 0.55 ms per refusal on the machine (0.2 + 0.01 + 0 + 0.3 ... generator included): well over 2 cores
        assertThat(output).contains("Shared machine: 20,000 arrivals evenly within 2 s, 1,000 copies, 1 instance");
    }

    @Test
    void checksTheQueueingModelWithARunsOwnCosts(@TempDir Path folder) throws Exception {
        // a flash burst's row: 1 ms of machine CPU per request on average; 2 cores answer 2,000/s
        var run = new TierCost("flash-burst", "batched", "run", 1, 20_000, 1_000, 10,
                Map.of(Tier.SERVICE, 14_000.0, Tier.GENERATOR, 6_000.0), RedisCounters.NONE, DatabaseCounters.NONE,
                "1 1 1");
        var file = folder.resolve("costs.json");
        new CostsFile(Instant.parse("2026-12-06T10:00:00Z"), "Test CPU", 2, "bench", "one instance", null,
                List.of(run)).write(file);

        var output = run("--copies", "1000", "--users", "20000", "--seconds", "2", "--costs", file.toString(),
                "--strategy", "batched", "--shared-cores", "2", "--run-costs");

        assertThat(output).contains("predicted 2,000 req/s");
    }

    @Test
    void saysWhatIsMissing() {
        assertThatThrownBy(() -> Capacity.run(new String[] {"--copies", "5"}, System.out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("required");
    }
}
