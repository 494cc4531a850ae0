package io.couponrush.loadtest.redemption;

import static io.couponrush.loadtest.redemption.Calls.cancelled;
import static io.couponrush.loadtest.redemption.Calls.confirmed;
import static io.couponrush.loadtest.redemption.Calls.refused;
import static io.couponrush.loadtest.redemption.Calls.reserved;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KillCaseTest {

    @Test
    void everyReserveThroughTheVictimMustHaveHeld() {
        assertThat(KillCase.reserved(List.of(reserved(1, "k1", 0, 5), reserved(2, "k2", 0, 5)), 2).ok()).isTrue();
        var step = KillCase.reserved(List.of(reserved(1, "k1", 0, 5), refused(2, "k2", Call.Op.RESERVE, 0, 5, "COPY_EXPIRED")), 2);
        assertThat(step.ok()).isFalse();
        assertThat(step.got()).isEqualTo("`200 RESERVED` 1 · `409 COPY_EXPIRED` 1");
    }

    @Test
    void aConfirmRefusedWhileItsHoldWasLiveIsBrokenButALateOneIsOnlyReported() {
        var holds = Map.of(1L, 10_000L, 2L, 10_000L);
        var live = refused(2, "k2", Call.Op.CONFIRM, 100, 200, "HOLD_LAPSED");
        var late = refused(2, "k2", Call.Op.CONFIRM, 100, 9_500, "HOLD_LAPSED");

        assertThat(KillCase.confirmed(List.of(confirmed(1, "k1", 100, 200)), holds, 1_000).ok()).isTrue();
        assertThat(KillCase.confirmed(List.of(confirmed(1, "k1", 100, 200), live), holds, 1_000).ok()).isFalse();
        var step = KillCase.confirmed(List.of(confirmed(1, "k1", 100, 200), late), holds, 1_000);
        assertThat(step.ok()).isTrue();
        assertThat(step.got()).endsWith("(1 answered after the hold ended)");
    }

    @Test
    void cancelsMustGiveTheCopyBack() {
        assertThat(KillCase.cancelled(List.of(cancelled(1, "k1", 0, 5))).ok()).isTrue();
        assertThat(KillCase.cancelled(List.of(refused(1, "k1", Call.Op.CANCEL, 0, 5, "NOT_RESERVED"))).ok()).isFalse();
    }

    @Test
    void beforeTheHoldsLapseEveryCopyIsInOneStateWhateverIsStillReserved() {
        assertThat(KillCase.meanwhile(new Books(20, 20, 20, 0, 20, 0, true), 60, 20).ok()).isTrue();
        assertThat(KillCase.meanwhile(new Books(30, 10, 20, 0, 20, 0, true), 60, 20).ok()).as("some holds lapsed already").isTrue();
        assertThat(KillCase.meanwhile(new Books(20, 20, 19, 0, 20, 0, true), 60, 20).ok()).isFalse();
    }

    @Test
    void onceTheHoldsLapsedTheConfirmedAreUsedAndEverythingElseIsUsable() {
        assertThat(KillCase.afterLapse(new Books(40, 0, 20, 0, 20, 0, true), 60, 20).ok()).isTrue();
        assertThat(KillCase.afterLapse(new Books(20, 20, 20, 0, 20, 0, true), 60, 20).ok()).as("holds still live").isFalse();
        assertThat(KillCase.afterLapse(new Books(41, 0, 19, 0, 20, 0, true), 60, 20).ok()).as("a confirm lost").isFalse();
        assertThat(KillCase.afterLapse(new Books(40, 0, 20, 0, 20, 1, false), 60, 20).ok()).isFalse();
        assertThat(KillCase.afterLapse(null, 60, 20).got()).isEqualTo("no answer");
    }

    @Test
    void theRowsOfTheConfirmedCopiesNameTheirOrders() {
        var rows = new HashMap<Long, String>();
        rows.put(1L, "k1");
        rows.put(2L, null);
        rows.put(3L, null);
        assertThat(KillCase.rows(rows, Map.of(1L, "k1")).ok()).isTrue();
        assertThat(KillCase.rows(rows, Map.of(1L, "k1", 2L, "k2")).ok()).isFalse();
        rows.put(3L, "k3");
        assertThat(KillCase.rows(rows, Map.of(1L, "k1")).got()).isEqualTo("1 used by their order, 1 other copies used");
    }

    @Test
    void reservingAgainFreesTheLeftAndRefusesTheUsed() {
        var again = List.of(reserved(2, "again-2", 0, 5), reserved(3, "again-3", 0, 5),
                refused(1, "again-1", Call.Op.RESERVE, 0, 5, "ALREADY_USED"));
        assertThat(KillCase.reservedAgain(again, Set.of(1L)).ok()).isTrue();
        assertThat(KillCase.reservedAgain(again, Set.of(1L, 2L)).ok()).isFalse();
        assertThat(KillCase.finalBooks(new Books(0, 2, 1, 0, 0, 0, true), 3, 1).ok()).isTrue();
        assertThat(KillCase.finalBooks(new Books(1, 1, 1, 0, 0, 0, true), 3, 1).ok()).isFalse();
    }

    @Test
    void theCaseIsExactWhenEveryStepIs() {
        var ok = new KillCase.Step("a", "b", "c", true);
        var broken = new KillCase.Step("d", "e", "f", false);
        assertThat(new KillCase(1, 3, 99, 5_000, List.of(ok, ok)).exact()).isTrue();
        assertThat(new KillCase(1, 3, 99, 5_000, List.of(ok, broken)).broken()).containsExactly(broken);
    }
}
