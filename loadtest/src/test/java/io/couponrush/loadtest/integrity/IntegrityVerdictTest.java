package io.couponrush.loadtest.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import io.couponrush.loadtest.simulation.Answer;
import io.couponrush.loadtest.simulation.Outcomes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class IntegrityVerdictTest {

    @Test
    void aCleanSellOutPasses() {
        var db = facts(100, 0, 1, ids(1, 100), 0);
        var verdict = IntegrityVerdict.evaluate(false, db, audit(db, true), grants(1, 100, soldOut(50)));

        assertThat(verdict.holds()).isTrue();
        assertThat(verdict.failsRun()).isFalse();
        assertThat(verdict.label()).isEqualTo("PASS");
        assertThat(verdict.numbers().granted()).isEqualTo(100);
    }

    @Test
    void lostDecrementsBreakI1AndAreCountedLikeTheSeedReport() {
        // The seed's numbers scaled down: 30 of stock, counter fell by 4, yet 8 rows exist.
        var db = facts(30, 26, 0, ids(1, 8), 0);
        var verdict = IntegrityVerdict.evaluate(false, db, audit(db, false), grants(1, 8, List.of()));

        assertThat(verdict.failsRun()).isTrue();
        assertThat(verdict.broken()).extracting(IntegrityVerdict.Check::id).containsExactly("I1");
        assertThat(verdict.numbers().lostDecrements()).isEqualTo(4);
        assertThat(verdict.numbers().phantomDecrements()).isZero();
        assertThat(verdict.label()).isEqualTo("FAIL: I1");
    }

    @Test
    void theUnsafeStrategyShowsItsViolationsWithoutFailingTheRun() {
        var db = facts(30, 26, 0, ids(1, 8), 0);
        var answers = new ArrayList<>(grants(1, 8, List.of()));
        answers.add(new Answer(0, 5, 5, "INTERNAL_ERROR", Answer.NONE));
        var verdict = IntegrityVerdict.evaluate(true, db, audit(db, false), answers);

        assertThat(verdict.holds()).isFalse();
        assertThat(verdict.failsRun()).isFalse();
        assertThat(verdict.label()).isEqualTo("broken as expected: I1, I5");
        assertThat(verdict.numbers().internalErrors()).isEqualTo(1);
    }

    @Test
    void aTwoHundredOneWithoutItsRowBreaksI3() {
        var db = facts(10, 1, 1, ids(1, 9), 0);
        var answers = grants(1, 10, List.of());

        var verdict = IntegrityVerdict.evaluate(false, db, audit(db, true), answers);

        assertThat(verdict.broken()).extracting(IntegrityVerdict.Check::id).containsExactly("I3");
        assertThat(verdict.numbers().missingRows()).isEqualTo(1);
    }

    @Test
    void theSameIdAcknowledgedTwiceBreaksI3() {
        var db = facts(10, 8, 1, ids(1, 2), 0);
        var answers = new ArrayList<>(grants(1, 2, List.of()));
        answers.add(new Answer(0, 1, 1, "201", 2));

        var verdict = IntegrityVerdict.evaluate(false, db, audit(db, true), answers);

        assertThat(verdict.numbers().duplicateGrants()).isEqualTo(1);
        assertThat(verdict.broken()).extracting(IntegrityVerdict.Check::id).containsExactly("I3");
    }

    @Test
    void aUserOverTheLimitBreaksI2() {
        var db = facts(10, 0, 1, ids(1, 10), 1);
        var verdict = IntegrityVerdict.evaluate(false, db, audit(db, false), grants(1, 10, List.of()));

        assertThat(verdict.broken()).extracting(IntegrityVerdict.Check::id).containsExactly("I2");
    }

    @Test
    void aRowBehindALostAnswerIsExcusedButNotBehindARefusal() {
        var db = facts(10, 0, 1, ids(1, 10), 0);
        var answered = grants(1, 9, List.of());

        var lostAnswer = new ArrayList<>(answered);
        lostAnswer.add(new Answer(0, 60_000, 60_000, Outcomes.NO_RESPONSE, Answer.NONE));
        var excused = IntegrityVerdict.evaluate(false, db, audit(db, true), lostAnswer);
        assertThat(excused.checks()).filteredOn(check -> check.id().equals("I4"))
                .singleElement().satisfies(check -> assertThat(check.holds()).isTrue());
        // ...but a request that got no answer at all still breaks "every request gets an answer".
        assertThat(excused.broken()).extracting(IntegrityVerdict.Check::id).containsExactly("I5");

        var refused = new ArrayList<>(answered);
        refused.add(new Answer(0, 5, 5, "COUPON_SOLD_OUT", Answer.NONE));
        var broken = IntegrityVerdict.evaluate(false, db, audit(db, true), refused);
        assertThat(broken.broken()).extracting(IntegrityVerdict.Check::id).containsExactly("I4");
        assertThat(broken.numbers().unacknowledgedRows()).isEqualTo(1);
    }

    @Test
    void anArrivalNeverSentBreaksI5ButExcusesNoRow() {
        var db = facts(10, 0, 1, ids(1, 10), 0);
        var answers = new ArrayList<>(grants(1, 9, List.of()));
        answers.add(new Answer(0, 300_000, 300_000, Outcomes.NOT_SENT, Answer.NONE));

        var verdict = IntegrityVerdict.evaluate(false, db, audit(db, true), answers);

        assertThat(verdict.broken()).extracting(IntegrityVerdict.Check::id).containsExactly("I4", "I5");
        assertThat(verdict.numbers().undefinedAnswers()).isEqualTo(1);
    }

    @Test
    void anAuditThatDisagreesWithSqlOrIsMissingFails() {
        var db = facts(10, 0, 1, ids(1, 10), 0);
        var wrongAudit = new AuditReport(db.couponId(), 10, 0, 9, 9, 0, true);

        assertThat(IntegrityVerdict.evaluate(false, db, wrongAudit, grants(1, 10, List.of())).broken())
                .extracting(IntegrityVerdict.Check::id).containsExactly("audit");
        assertThat(IntegrityVerdict.evaluate(false, db, null, grants(1, 10, List.of())).broken())
                .extracting(IntegrityVerdict.Check::id).containsExactly("audit");
        // An audit that calls a consistent coupon inconsistent is as wrong as the reverse.
        assertThat(IntegrityVerdict.evaluate(false, db, audit(db, false), grants(1, 10, List.of())).broken())
                .extracting(IntegrityVerdict.Check::id).containsExactly("audit");
    }

    private static DatabaseFacts facts(long total, long remaining, int limit, Set<Long> ids, long overLimit) {
        return new DatabaseFacts(5, total, remaining, limit, ids.size(), ids.size(), overLimit, 1, ids);
    }

    private static AuditReport audit(DatabaseFacts db, boolean consistent) {
        return new AuditReport(db.couponId(), db.total(), db.remaining(), db.rows(), db.distinctUsers(),
                db.usersOverLimit(), consistent);
    }

    private static Set<Long> ids(long from, long to) {
        var ids = new HashSet<Long>();
        LongStream.rangeClosed(from, to).forEach(ids::add);
        return ids;
    }

    private static List<Answer> grants(long from, long to, List<Answer> more) {
        var answers = new ArrayList<Answer>();
        LongStream.rangeClosed(from, to).forEach(id -> answers.add(new Answer(0, 3, 3, "201", id)));
        answers.addAll(more);
        return answers;
    }

    private static List<Answer> soldOut(int count) {
        var answers = new ArrayList<Answer>();
        for (int i = 0; i < count; i++) {
            answers.add(new Answer(0, 2, 2, "COUPON_SOLD_OUT", Answer.NONE));
        }
        return answers;
    }
}
