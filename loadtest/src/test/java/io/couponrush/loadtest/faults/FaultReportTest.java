package io.couponrush.loadtest.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class FaultReportTest {

    private final FaultSettings settings = settings("none,kill");

    private static FaultSettings settings(String faults) {
        var properties = new Properties();
        properties.setProperty("bench.faults", faults);
        return FaultSettings.from(properties, true);
    }

    private static Cell cell(Fault fault, String strategy, Holdings holdings, List<UserRun> runs) {
        var window = fault == Fault.NONE ? new FaultWindow(0, 2_000, OptionalInt.empty())
                : new FaultWindow(600, 2_000, OptionalInt.of(1));
        return Cell.measured(fault, strategy, 7, window, holdings, runs, 2_000);
    }

    @Test
    void rowsAreFaultsAndColumnsStrategiesInTheOrderAsked() {
        var exact = Runs.cleanSellOut(10, 30);
        var holderToldSoldOut = new ArrayList<>(exact);
        holderToldSoldOut.set(0, Runs.run(1, Runs.timeout(1), Runs.soldOut()));
        var cells = List.of(
                cell(Fault.NONE, "redis-gate", new Holdings(7, 10, 0, Runs.rowsForFirst(10)), exact),
                cell(Fault.KILL, "redis-gate", new Holdings(7, 10, 0, Runs.rowsForFirst(10)), holderToldSoldOut),
                cell(Fault.NONE, "batched", new Holdings(7, 10, 0, Runs.rowsForFirst(10)), exact),
                Cell.failed(Fault.KILL, "batched", 0, "IOException: the service | died"));

        var table = FaultReport.table(settings, List.of("batched", "redis-gate"), cells, Cell::verdictLabel);

        assertThat(table).isEqualTo("""
                | fault | batched | redis-gate |
                |---|---|---|
                | none | exact | exact |
                | kill -9 one instance | not run: IOException: the service \\| died | 1 holder told SOLD_OUT |
                """);
    }

    @Test
    void theRecoveryTableHasTheDependencyFaultsOnly() {
        var both = settings("none,kill,mariadb");
        var runs = Runs.cleanSellOut(10, 30);
        var cells = List.of(cell(Fault.NONE, "redis-gate", new Holdings(7, 10, 0, Runs.rowsForFirst(10)), runs),
                cell(Fault.MARIADB, "redis-gate", new Holdings(7, 10, 0, Runs.rowsForFirst(10)), runs));

        var table = FaultReport.table(both, List.of("redis-gate"), cells, Cell::recoveryLabel, List.of(Fault.REDIS, Fault.MARIADB));

        assertThat(table).doesNotContain("| none |").doesNotContain("kill -9 one instance")
                .containsPattern("\\| [^|]*MariaDB[^|]*\\| first grant (none after|\\+[0-9,]+ ms); [0-9,]+ late 503 \\([0-9.]+ %\\) \\|");
        assertThat(cells.getFirst().recoveryLabel()).as("no dependency came back: nothing to say").isEqualTo("–");
    }

    @Test
    void aCellThatWasNeverRunSaysSo() {
        var table = FaultReport.table(settings, List.of("atomic"), List.of(), Cell::stallLabel);

        assertThat(table).contains("| none | not run |").contains("| kill -9 one instance | not run |");
    }

    @Test
    void theReportCarriesBothTablesAndEveryRunsNumbers() {
        var runs = new ArrayList<>(Runs.cleanSellOut(10, 30));
        runs.set(20, Runs.run(21, Runs.refused(1), Runs.soldOut()));
        var cells = List.of(cell(Fault.NONE, "atomic", new Holdings(7, 10, 0, Runs.rowsForFirst(10)), runs),
                cell(Fault.KILL, "atomic", new Holdings(7, 10, 0, Runs.rowsForFirst(10)), runs));
        var header = new FaultReport.Header(Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-01-01T00:03:05Z"), "2 cores", "./mvnw … -Dbench.scenario=faults", "MariaDB, Redis",
                List.of("one thing went wrong"));

        var report = FaultReport.render(header, settings, List.of("atomic"), cells);

        assertThat(report)
                .contains("## Verdicts", "## Stalls on healthy instances", "## Runs", "## Problems")
                .contains("took 3 min 05 s")
                .contains("| kill | atomic | 7 | 2,000 ms | 600–2,000 ms (instance 1) | 0 + 10 / 10 | 31 for 30 users"
                        + " | COUPON_SOLD_OUT ×20, 201 ×10 |")
                .contains("| none | atomic | 7 | 2,000 ms | – |")
                .contains("- one thing went wrong")
                .doesNotContain("## Violations");
    }

    @Test
    void eachViolationIsListedWithSomeOfItsUsers() {
        var runs = new ArrayList<>(Runs.cleanSellOut(10, 30));
        runs.set(2, Runs.run(3, Runs.timeout(1), Runs.soldOut()));
        var header = new FaultReport.Header(Instant.EPOCH, Instant.EPOCH, "2 cores", "./mvnw", "MariaDB", List.of());

        var report = FaultReport.render(header, settings, List.of("redis-gate"),
                List.of(cell(Fault.KILL, "redis-gate", new Holdings(7, 10, 0, Runs.rowsForFirst(10)), runs)));

        assertThat(report).contains("## Violations")
                .contains("- kill / redis-gate, coupon 7: 1 holder told SOLD_OUT (I6); users 3\n");
    }
}
