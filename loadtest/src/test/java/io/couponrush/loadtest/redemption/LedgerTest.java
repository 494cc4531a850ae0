package io.couponrush.loadtest.redemption;

import static io.couponrush.loadtest.redemption.Calls.cancelled;
import static io.couponrush.loadtest.redemption.Calls.confirmed;
import static io.couponrush.loadtest.redemption.Calls.lost;
import static io.couponrush.loadtest.redemption.Calls.refused;
import static io.couponrush.loadtest.redemption.Calls.reserved;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LedgerTest {

    private static Ledger of(Call... calls) {
        var ledger = new Ledger();
        for (var call : calls) {
            ledger.add(call);
        }
        return ledger;
    }

    @Test
    void theOrderToldItsConfirmSucceededSpendsTheCopy() {
        var ledger = of(reserved(1, "a", 0, 5), refused(1, "b", Call.Op.RESERVE, 0, 6, "RESERVED_BY_ANOTHER_ORDER"),
                confirmed(1, "a", 5, 9));

        assertThat(ledger.spenders()).isEqualTo(Map.of(1L, Set.of("a")));
        assertThat(ledger.spent()).isEqualTo(1);
        assertThat(ledger.spentTwice()).isZero();
    }

    @Test
    void aDoubleClickedConfirmIsOneOrderAndACancelAfterItGivesTheCopyBack() {
        var ledger = of(reserved(1, "a", 0, 5), confirmed(1, "a", 5, 9), confirmed(1, "a", 5, 10), cancelled(1, "a", 11, 14),
                reserved(2, "c", 0, 5), confirmed(2, "c", 5, 9), confirmed(2, "c", 5, 8));

        assertThat(ledger.spenders()).isEqualTo(Map.of(2L, Set.of("c")));
        assertThat(ledger.spentTwice()).isZero();
    }

    @Test
    void twoOrdersToldTheirConfirmsSucceededSpentTheCopyTwice() {
        var ledger = of(reserved(1, "a", 0, 5), reserved(1, "b", 0, 6), confirmed(1, "a", 6, 9), confirmed(1, "b", 6, 10),
                refused(1, "a", Call.Op.CANCEL, 11, 12, "NOT_RESERVED"));

        assertThat(ledger.spenders()).isEqualTo(Map.of(1L, Set.of("a", "b")));
        assertThat(ledger.spentTwice()).isEqualTo(1);
    }

    @Test
    void theRowsAgreeWhenTheCopyIsUsedByAnOrderToldSo() {
        var ledger = of(confirmed(1, "a", 0, 5), confirmed(2, "b", 0, 5), reserved(3, "c", 0, 5),
                lost(4, "d", Call.Op.CONFIRM, 0, 60_000));
        var usedBy = new HashMap<Long, String>();
        usedBy.put(1L, "a");   // agrees
        usedBy.put(2L, null);  // told spent, not used: a lost confirm
        usedBy.put(3L, "c");   // used, nobody told
        usedBy.put(4L, "d");   // no answer: either way
        usedBy.put(5L, null);  // untouched

        assertThat(ledger.disagreements(usedBy)).isEqualTo(2);
        assertThat(ledger.ambiguous()).containsExactly(4L);
    }

    @Test
    void answersAreCountedByRequestAndLabel() {
        var ledger = of(reserved(1, "a", 0, 5), refused(1, "b", Call.Op.RESERVE, 0, 6, "RESERVED_BY_ANOTHER_ORDER"),
                lost(1, "c", Call.Op.RESERVE, 0, 7));

        assertThat(ledger.answers(Call.Op.RESERVE)).containsExactly(Map.entry("200 RESERVED", 1),
                Map.entry("409 RESERVED_BY_ANOTHER_ORDER", 1), Map.entry("NO_ANSWER", 1));
        assertThat(ledger.answers(Call.Op.CONFIRM)).isEmpty();
    }
}
