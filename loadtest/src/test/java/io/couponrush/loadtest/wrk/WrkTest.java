package io.couponrush.loadtest.wrk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;

import io.couponrush.loadtest.integrity.DatabaseFacts;
import io.couponrush.loadtest.report.WrkRow;
import org.junit.jupiter.api.Test;

class WrkTest {

    private static final String OUTPUT = """
            Running 20s test @ http://127.0.0.1:8080
              2 threads and 100 connections
            WRK_RESULT {"requests":200000,"durationMicros":20000000,"connectErrors":0,"readErrors":1,"writeErrors":2,"timeouts":3,"non2xx3xx":0,"p50":8600,"p90":12000,"p99":18000,"p999":25000,"max":31000,"codes":{"201":199990,"503":7}}
            """;

    @Test
    void readsTheScriptsResultLine() {
        var result = WrkResult.parse(OUTPUT).orElseThrow();

        assertThat(result.requests()).isEqualTo(200_000);
        assertThat(result.throughput()).isEqualTo(10_000.0);
        assertThat(result.socketErrors()).isEqualTo(3);
        assertThat(result.timeouts()).isEqualTo(3);
        assertThat(result.p99()).isEqualTo(18_000);
        assertThat(result.codes()).containsEntry(201, 199_990L).containsEntry(503, 7L);
    }

    @Test
    void noResultLineIsNoResult() {
        assertThat(WrkResult.parse("unable to connect to 127.0.0.1:1 Connection refused")).isEmpty();
    }

    @Test
    void runsClosedModelWithTheTokensAndTarget() {
        var wrk = Wrk.from(new Properties(), false);

        var command = wrk.command(Path.of("/tmp/s.lua"), URI.create("http://127.0.0.1:8080/"), 100, Path.of("/tmp/t.txt"),
                "/api/v1/coupons/7/issue", "POST");

        assertThat(wrk.duration()).isEqualTo(Duration.ofSeconds(20));
        assertThat(command).containsExactly("wrk", "-t2", "-c100", "-d20s", "--timeout", "10s", "-s", "/tmp/s.lua",
                "http://127.0.0.1:8080", "--", "/tmp/t.txt", "/api/v1/coupons/7/issue", "POST");
    }

    @Test
    void smokeRowsAreShortAndOffMeansOff() {
        var properties = new Properties();
        properties.setProperty("bench.wrk", "off");

        assertThat(Wrk.from(new Properties(), true).duration()).isEqualTo(Duration.ofSeconds(3));
        assertThat(Wrk.from(properties, false).skipReason()).contains("turned off (bench.wrk=off)");
    }

    @Test
    void aMissingWrkIsNotedOrRefusedAsAsked() {
        var auto = new Properties();
        auto.setProperty("bench.wrk.binary", "/nonexistent/wrk");
        var on = new Properties(auto);
        on.setProperty("bench.wrk", "on");

        assertThat(Wrk.from(auto, false).skipReason()).hasValueSatisfying(reason -> assertThat(reason).contains("not installed"));
        assertThatThrownBy(() -> Wrk.from(on, false).skipReason()).hasMessageContaining("bench.wrk=on");
    }

    @Test
    void aRowHoldsOnlyWhenTheRowsMatchTheGrants() {
        var result = WrkResult.parse(OUTPUT).orElseThrow();
        var exact = new DatabaseFacts(1, 1_000_000, 1_000_000 - 199_990, 1000, 199_990, 10_000, 0, 20, Set.of());
        var lost = new DatabaseFacts(1, 1_000_000, 1_000_000 - 199_991, 1000, 199_991, 10_000, 0, 20, Set.of());
        var silent = new DatabaseFacts(1, 1_000_000, 1_000_000 - 200_110, 1000, 200_110, 10_000, 0, 20, Set.of());
        var missing = new DatabaseFacts(1, 1_000_000, 1_000_000 - 199_000, 1000, 199_000, 10_000, 0, 20, Set.of());

        assertThat(WrkRow.checked("batched", result, exact, 100).holds()).isTrue();
        assertThat(WrkRow.checked("batched", result, lost, 100).holds()).as("rows behind answers in flight at the end or lost").isTrue();
        assertThat(WrkRow.checked("batched", result, silent, 100).holds()).as("rows nobody was told about").isFalse();
        assertThat(WrkRow.checked("batched", result, missing, 100).holds()).as("201s without rows").isFalse();
    }
}
