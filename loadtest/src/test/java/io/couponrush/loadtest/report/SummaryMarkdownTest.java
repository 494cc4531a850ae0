package io.couponrush.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SummaryMarkdownTest {

    private final BenchReport report = SampleReports.report();
    private final String summary = SummaryMarkdown.render(report, SampleReports.DIRECTORY);

    @Test
    void namesTheMachineTheCommandAndTheShape() {
        assertThat(summary)
                .startsWith("# couponrush bench: flash-burst (smoke)\n")
                .contains("- Machine: 2 cores (Test CPU), 24.0 GiB memory, Linux 6.1 amd64; JDK: Temurin 25")
                .contains("- Command: `./mvnw -B -pl loadtest -am verify -Pbench -DskipTests -Dbench.smoke=true`")
                .contains("Shape: 500 users, one request each, arriving within 2 s through 500 shared connections (a front proxy's pool; latency counts from arrival). Each strategy gets a fresh coupon: stock 100;");
    }

    @Test
    void reportsEachStrategyAgainstTheTrivialEndpoint() {
        // ping: 1,000 answers from 0 to 1,001 ms; atomic: 500 answers from 1 to 602 ms.
        assertThat(summary).contains("Trivial endpoint `GET /api/v1/loadtest/ping`, same shape: 1,000 requests, **999.0 req/s**");
        var atomic = report.scenarios().getFirst().strategies().get(1).stats();
        var ratio = atomic.throughput() / report.scenarios().getFirst().ping().throughput();
        assertThat(summary).contains("| atomic | 500 | %,.1f | %.2f | 3 | 4 | 4 | 4 | 100 | 100 | 0 | 0.10 s | PASS |"
                .formatted(atomic.throughput(), ratio));
    }

    @Test
    void showsTheUnsafeDemonstrationAsExpectedAndTheFailedStrategyAsAnError() {
        assertThat(summary)
                .contains("| none | 150 |")
                .contains("broken as expected: I1, I5")
                .contains("20 lost decrements (rows the stock counter never paid for)")
                .contains("30 INTERNAL_ERROR answers (deadlocks and other 500s)")
                .contains("| batched | – |")
                .contains("ERROR: IOException: POST /api/v1/coupons answered 400 (expected 201)")
                .contains("- Result: **FAILED**: flash-burst/batched");
    }

    @Test
    void provesACleanRunWithItsBalanceAndListsEveryCheckOfABrokenOne() {
        var atomic = section("- **atomic** (coupon 11): PASS");
        assertThat(atomic)
                .contains("ok I1 remaining + issued rows == total: 0 remaining + 100 rows = 100 of 100")
                .contains("ok I3 every 201 has its row: 100 of 100 acknowledged coupons found")
                .contains("ok audit audit endpoint agrees with SQL")
                .doesNotContain("I2", "I5");
        var none = section("- **none** (coupon 10): broken as expected: I1, I5");
        assertThat(none)
                .contains("**BROKEN** I1 remaining + issued rows == total: 0 remaining + 120 rows = 120 of 100")
                .contains("ok I2 ")
                .contains("**BROKEN** I5 every answer has a defined outcome: 0 without an answer or code, 30 INTERNAL_ERROR");
    }

    @Test
    void countsAnswersByCodeInOneTable() {
        assertThat(summary)
                .contains("| strategy | 200 | 201 | COUPON_SOLD_OUT | INTERNAL_ERROR |")
                .contains("| ping | 1,000 |  |  |  |")
                .contains("| atomic |  | 100 | 400 |  |");
    }

    @Test
    void linksGatlingReportsRelativeToTheSummary() {
        assertThat(summary).contains("- atomic: [gatling/flash-burst-atomic/flashburstsimulation-1/index.html]");
    }

    /** The lines of one strategy's integrity entry. */
    private String section(String heading) {
        int start = summary.indexOf(heading);
        assertThat(start).as(heading).isNotNegative();
        int end = summary.indexOf("\n- ", start + 1);
        return summary.substring(start, end < 0 ? summary.length() : end);
    }

    @Test
    void formatsDurations() {
        assertThat(SummaryMarkdown.duration(Duration.ofSeconds(59))).isEqualTo("59 s");
        assertThat(SummaryMarkdown.duration(Duration.ofSeconds(125))).isEqualTo("2 min 5 s");
        assertThat(SummaryMarkdown.ratio(Double.NaN)).isEqualTo("–");
    }
}
