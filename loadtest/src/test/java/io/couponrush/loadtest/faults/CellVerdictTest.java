package io.couponrush.loadtest.faults;

import static io.couponrush.loadtest.faults.Runs.alreadyIssued;
import static io.couponrush.loadtest.faults.Runs.answer;
import static io.couponrush.loadtest.faults.Runs.cleanSellOut;
import static io.couponrush.loadtest.faults.Runs.granted;
import static io.couponrush.loadtest.faults.Runs.refused;
import static io.couponrush.loadtest.faults.Runs.rowOf;
import static io.couponrush.loadtest.faults.Runs.rowsForFirst;
import static io.couponrush.loadtest.faults.Runs.run;
import static io.couponrush.loadtest.faults.Runs.soldOut;
import static io.couponrush.loadtest.faults.Runs.timeout;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

class CellVerdictTest {

    @Test
    void aCleanSellOutIsExact() {
        var verdict = CellVerdict.evaluate(new Holdings(1, 10, 0, rowsForFirst(10)), cleanSellOut(10, 30));

        assertThat(verdict.exact()).isTrue();
        assertThat(verdict.label()).isEqualTo("exact");
    }

    @Test
    void aRetryThatLearnsItsGrantIsExact() {
        // Timed out on the frozen instance, retried elsewhere: the replayed 201 and ALREADY_ISSUED both tell the truth.
        var runs = new ArrayList<>(cleanSellOut(9, 30));
        runs.set(9, run(10, timeout(1), granted(10), alreadyIssued()));
        var verdict = CellVerdict.evaluate(new Holdings(1, 10, 0, rowsForFirst(10)), runs);

        assertThat(verdict.violations()).isEmpty();
    }

    @Test
    void countsHoldersToldSoldOutAndFalseAlreadyIssued() {
        var runs = new ArrayList<>(cleanSellOut(8, 30));
        // user 9 holds a row, but its retry heard "sold out"; user 10 heard "you have it" and has nothing
        runs.set(8, run(9, timeout(1), soldOut()));
        runs.set(9, run(10, refused(1), alreadyIssued()));
        var rows = rowsForFirst(9);
        rows.put(rowOf(31), 31L); // the copy user 10 did not get went to someone outside the run's answers

        var verdict = CellVerdict.evaluate(new Holdings(1, 10, 0, rows), runs);

        assertThat(verdict.violations()).extracting(CellVerdict.Violation::rule).containsExactly("I6", "I6");
        assertThat(verdict.violations()).extracting(CellVerdict.Violation::users)
                .containsExactly(List.of(10L), List.of(9L));
        assertThat(verdict.label()).isEqualTo("1 false ALREADY_ISSUED; 1 holder told SOLD_OUT");
    }

    @Test
    void stockLeftAfterSomeoneEndedSoldOutIsStranded() {
        // The gate thought two copies were taken by a dead instance: 8 rows, 2 left, yet users were told sold out.
        var verdict = CellVerdict.evaluate(new Holdings(1, 10, 2, rowsForFirst(8)), cleanSellOut(8, 30));

        assertThat(verdict.violations()).singleElement().satisfies(violation -> {
            assertThat(violation.rule()).isEqualTo("I7");
            assertThat(violation.count()).isEqualTo(2);
        });
        assertThat(verdict.label()).isEqualTo("2 stranded (remaining after SOLD_OUT)");
    }

    @Test
    void stockLeftWithoutAnySoldOutIsNotStranded() {
        var runs = List.of(run(1, granted(1)), run(2, granted(2)));

        assertThat(CellVerdict.evaluate(new Holdings(1, 10, 8, rowsForFirst(2)), runs).exact()).isTrue();
    }

    @Test
    void anUnbalancedLedgerBreaksI1() {
        // a decrement lost: 10 rows, yet 1 copy still "remaining"
        var verdict = CellVerdict.evaluate(new Holdings(1, 10, 1, rowsForFirst(10)), cleanSellOut(10, 10));

        assertThat(verdict.violations()).singleElement().satisfies(violation -> {
            assertThat(violation.rule()).isEqualTo("I1");
            assertThat(violation.label()).isEqualTo("I1: 1 remaining + 10 rows ≠ 10");
        });
    }

    @Test
    void aSecondCopyForOneUserBreaksI2() {
        var rows = rowsForFirst(9);
        rows.put(5000L, 3L);
        var runs = cleanSellOut(9, 20);

        var verdict = CellVerdict.evaluate(new Holdings(1, 10, 0, rows), runs);

        assertThat(verdict.label()).isEqualTo("1 users hold 2+ copies");
    }

    @Test
    void aGrantWithoutItsRowOrWithSomeoneElsesRowBreaksI3() {
        var rows = new HashMap<>(rowsForFirst(10));
        rows.remove(rowOf(4));          // user 4's 201 points at nothing
        rows.put(rowOf(4), 99L);        // ... or at another user's row
        rows.remove(rowOf(7));
        var runs = new ArrayList<>(cleanSellOut(10, 10));
        runs.set(2, run(3, granted(3), granted(3))); // a replayed 201 repeats its id: counted once

        var verdict = CellVerdict.evaluate(new Holdings(1, 10, 1, rows), runs);

        assertThat(verdict.violations()).extracting(CellVerdict.Violation::rule).contains("I3");
        assertThat(verdict.violations()).filteredOn(violation -> violation.rule().equals("I3"))
                .singleElement().extracting(CellVerdict.Violation::count).isEqualTo(2L);
    }

    @Test
    void aRowBehindNothingButRefusalsBreaksI4() {
        var runs = new ArrayList<>(cleanSellOut(9, 20));
        runs.set(9, run(10, answer(503, "OVERLOADED"), answer(409, "LOCK_TIMEOUT")));
        var onlyRefusals = CellVerdict.evaluate(new Holdings(1, 10, 0, rowsForFirst(10)), runs);
        // a 503 is not a refusal: "nothing was issued" from a 4xx is, and a row behind it breaks I4
        runs.set(9, run(10, answer(409, "LOCK_TIMEOUT"), answer(409, "CONTENTION")));
        var refused = CellVerdict.evaluate(new Holdings(1, 10, 0, rowsForFirst(10)), runs);

        assertThat(onlyRefusals.violations()).extracting(CellVerdict.Violation::rule).doesNotContain("I4");
        assertThat(refused.label()).isEqualTo("1 rows behind a refusal");
    }

    @Test
    void everyFiveHundredIsCountedAndEveryUndefinedFinalAnswer() {
        var runs = new ArrayList<>(cleanSellOut(10, 20));
        runs.set(10, run(11, answer(500, "INTERNAL_ERROR"), answer(500, "INTERNAL_ERROR")));
        runs.set(11, run(12, timeout(0), refused(1), timeout(0), refused(1)));
        runs.set(12, run(13, answer(502, "HTTP_502")));
        runs.set(13, run(14, Attempt.failed(0, 10, 30_000, Attempt.Kind.CUT_OFF)));
        runs.set(14, run(15));

        var verdict = CellVerdict.evaluate(new Holdings(1, 10, 0, rowsForFirst(10)), runs);

        assertThat(verdict.label()).isEqualTo("2 × 500; 4 undefined final answers");
        assertThat(verdict.violations().getLast().users()).containsExactly(12L, 13L, 14L, 15L);
    }

    @Test
    void aFinalOverloadedIsADefinedAnswer() {
        var runs = new ArrayList<>(cleanSellOut(10, 20));
        runs.set(15, run(16, timeout(1), answer(503, "OVERLOADED"), answer(503, "OVERLOADED")));

        assertThat(CellVerdict.evaluate(new Holdings(1, 10, 0, rowsForFirst(10)), runs).exact()).isTrue();
    }

    @Test
    void namesAtMostFiveOfTheUsersConcerned() {
        var runs = new ArrayList<UserRun>();
        for (long user = 1; user <= 8; user++) {
            runs.add(run(user, refused(0), refused(1), refused(0), refused(1)));
        }

        var verdict = CellVerdict.evaluate(new Holdings(1, 10, 10, new HashMap<>()), runs);

        assertThat(verdict.violations()).singleElement().satisfies(violation -> {
            assertThat(violation.count()).isEqualTo(8);
            assertThat(violation.users()).containsExactly(1L, 2L, 3L, 4L, 5L);
        });
    }
}
