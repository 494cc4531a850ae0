package io.couponrush.loadtest.costs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CostsFileTest {

    static TierCost grants() {
        return new TierCost("costs", "redis-gate", "grants", 1, 20_000, 20_000, 12.5,
                Map.of(Tier.SERVICE, 4_000.0, Tier.REDIS, 600.0, Tier.DATABASE, 2_000.0, Tier.GENERATOR, 1_500.0),
                new RedisCounters(Map.of("evalsha", new long[] {20_000, 200_000}, "hget", new long[] {60_000, 6_000}),
                        20_500),
                new DatabaseCounters(Map.of("Questions", 1_500L, "Com_show_status", 0L, "Com_commit", 200L,
                        "Com_insert", 200L)),
                "1.50 1.20 1.00");
    }

    @Test
    void givesEveryTierPerRequestAndTheDatabasePerGrant() {
        var cost = grants();

        assertThat(cost.cpuPerRequest(Tier.SERVICE)).isCloseTo(0.2, within(1e-9));
        assertThat(cost.cpuPerRequest(Tier.PROXY)).isNaN(); // not measured, not zero
        assertThat(cost.cpuPerRequestAll()).isCloseTo(8_100.0 / 20_000, within(1e-9));
        assertThat(cost.redisCommandsPerRequest()).isCloseTo(4.0, within(1e-9));
        assertThat(cost.redisScriptsPerRequest()).isCloseTo(1.0, within(1e-9));
        assertThat(cost.redisRoundTripsPerRequest()).isCloseTo(1.025, within(1e-9));
        assertThat(cost.dbStatementsPerGrant()).isCloseTo(0.075, within(1e-9));
        assertThat(cost.dbCpuPerGrant()).isCloseTo(0.1, within(1e-9));
    }

    @Test
    void readsBackWhatItWrote(@TempDir Path folder) throws Exception {
        var file = folder.resolve("costs.json");
        var background = new TierCost("background", "background", "quiet", 1, 0, 0, 5, Map.of(Tier.SERVICE, 50.0),
                RedisCounters.NONE, DatabaseCounters.NONE, "0.1 0.1 0.1");
        new CostsFile(Instant.parse("2026-12-06T12:00:00Z"), "AMD EPYC", 2, "./mvnw …", "one instance", background,
                List.of(grants())).write(file);

        var read = CostsFile.read(file);

        assertThat(Files.readString(file)).contains("\"perRequest\"", "\"serviceCpuMs\" : 0.2");
        assertThat(read.cpu()).isEqualTo("AMD EPYC");
        assertThat(read.background().cpuMillis()).containsEntry(Tier.SERVICE, 50.0);
        var row = read.find("redis-gate", "grants").orElseThrow();
        assertThat(row.cpuPerRequest(Tier.SERVICE)).isCloseTo(0.2, within(1e-9));
        assertThat(row.redis().commands()).isEqualTo(80_000);
        assertThat(row.redis().reads()).isEqualTo(20_500);
        assertThat(row.dbStatementsPerGrant()).isCloseTo(0.075, within(1e-9));
        assertThat(read.find("redis-gate", "refusals")).isEmpty();
    }

    @Test
    void tableNamesTheCpuAndLeavesUnmeasuredTiersBlank() {
        var table = CostTable.markdown(List.of(grants()), null, "CPU time from /proc", "AMD EPYC");

        assertThat(table).contains("(AMD EPYC)", "| redis-gate | grants | 1 | 20,000 | 20,000 | 0.200 | 0.030 | 0.100 | – |");
    }
}
