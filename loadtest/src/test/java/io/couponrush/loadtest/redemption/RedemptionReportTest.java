package io.couponrush.loadtest.redemption;

import static io.couponrush.loadtest.redemption.Calls.confirmed;
import static io.couponrush.loadtest.redemption.Calls.refused;
import static io.couponrush.loadtest.redemption.Calls.reserved;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedemptionReportTest {

    private static final RedemptionSettings SETTINGS = RedemptionSettings.from(RedemptionSettingsTest.properties(
            "bench.users", "2"));

    private static StormResult naive() {
        var ledger = new Ledger();
        List.of(reserved(1, "a", 0, 10), reserved(1, "b", 0, 20), confirmed(1, "a", 20, 40), confirmed(1, "b", 20, 50),
                reserved(2, "c", 0, 10), confirmed(2, "c", 10, 30)).forEach(ledger::add);
        return new StormResult("naive", 3, 2, ledger, new Books(0, 0, 2, 0, 0, 1, false), 0);
    }

    private static StormResult conditional(Books books) {
        var ledger = new Ledger();
        List.of(reserved(1, "a", 0, 10), refused(1, "b", Call.Op.RESERVE, 0, 20, "RESERVED_BY_ANOTHER_ORDER"),
                confirmed(1, "a", 10, 30), reserved(2, "c", 0, 10), confirmed(2, "c", 10, 30)).forEach(ledger::add);
        return new StormResult("conditional", 4, 2, ledger, books, 0);
    }

    @Test
    void naiveSpendingTwiceIsItsDemonstrationAndConditionalPasses() {
        var clean = conditional(new Books(0, 0, 2, 0, 0, 0, true));
        var report = RedemptionReport.render(SETTINGS, "2 cores", "2 instances", List.of(naive(), clean), null, List.of(), List.of());

        assertThat(naive().failsRun()).isFalse();
        assertThat(clean.failsRun()).isFalse();
        assertThat(report)
                .contains("| naive | 2 | 3 | 6 | 120.0 | 10 / 20 ms | 20 / 30 ms | – | 1 / 1 | usable 0 · reserved 0 · used 2 "
                        + "· expired 0 (restored 0) | **no** | yes | broken as expected: 1 copies spent by two orders (ledger); "
                        + "1 copies used twice (audit); books do not balance (the states add up; the copies used twice do not) |")
                .contains("| conditional | 2 | 3 | 5 | 166.7 | 10 / 20 ms | 20 / 20 ms | – | 0 / 0 |")
                .contains("| PASS |")
                .contains("| conditional | `200 RESERVED` 2 · `409 RESERVED_BY_ANOTHER_ORDER` 1 | `200 USED` 2 | – |")
                .contains("naive spent 1 copies twice (audit 1), conditional 0 (audit 0): **met**.")
                .contains("passed.");
    }

    @Test
    void conditionalBooksThatDoNotBalanceFailTheRun() {
        var unbalanced = conditional(new Books(0, 0, 1, 0, 0, 0, false));
        var report = RedemptionReport.render(SETTINGS, "m", "s", List.of(unbalanced), null, List.of(), List.of());

        assertThat(unbalanced.failsRun()).isTrue();
        assertThat(report).contains("**FAIL**: books do not balance (1 states for 2 copies)").contains("**FAILED**");
    }

    @Test
    void theKillCaseIsATableOfSteps() {
        var kill = new KillCase(9, 60, 1234, 5_700, List.of(new KillCase.Step("reserve 60 copies through instance A",
                "`200 RESERVED` × 60", "`200 RESERVED` 60", true), new KillCase.Step("audit books at the end", "x", "y", false)));
        var report = RedemptionReport.render(SETTINGS, "m", "s", List.of(), kill, List.of(), List.of());

        assertThat(report).contains("instance A (pid 1234) killed with `kill -9`")
                .contains("| reserve 60 copies through instance A | `200 RESERVED` × 60 | `200 RESERVED` 60 | ok |")
                .contains("| audit books at the end | x | y | **BROKEN** |")
                .contains("**FAILED**");
    }
}
