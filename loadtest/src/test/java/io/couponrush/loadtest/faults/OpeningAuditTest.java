package io.couponrush.loadtest.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpeningAuditTest {

    private static OpeningAudit audit(long total, long remaining, long rows, boolean consistent) {
        return new OpeningAudit(total, remaining, rows, 0, consistent, rows, 0, 0, 0.0, 0, 0);
    }

    private static OpeningOrder order(int stock, int users, int winners, String... extra) {
        var answers = new ArrayList<OpeningOrder.Answer>();
        for (int rank = 1; rank <= users; rank++) {
            answers.add(new OpeningOrder.Answer(rank, rank <= winners ? "ISSUED" : "COUPON_SOLD_OUT"));
        }
        for (var code : extra) {
            answers.add(new OpeningOrder.Answer(answers.size() + 1, code));
        }
        return OpeningOrder.of(stock, answers);
    }

    @Test
    void readsTheArrivalOrderOfTheServiceAudit() throws Exception {
        var json = new ObjectMapper().readTree("""
                {"couponId":7,"total":101,"remaining":0,"issuedRows":101,"distinctUsers":101,"usersOverLimit":0,
                 "consistent":true,"arrivalOrder":{"grantsStamped":101,"refusalsRecorded":199,
                 "firstRefusalArrivedAt":"2026-11-24T23:00:00.1Z","lastGrantArrivedAt":"2026-11-24T23:00:00.2Z",
                 "grantsAfterFirstRefusal":2,"outOfOrderPercent":1.98,"latestGrantLagMillis":14,"refusalsBeforeLastGrant":3}}
                """);

        var audit = OpeningAudit.of(json);

        assertThat(audit).isEqualTo(new OpeningAudit(101, 0, 101, 0, true, 101, 199, 2, 1.98, 14, 3));
    }

    @Test
    void anExactWarmRunCountsTheEarlierGrant() {
        assertThat(audit(101, 0, 101, true).violations(order(100, 300, 100), 1)).isEmpty();
        assertThat(audit(100, 0, 100, true).violations(order(100, 300, 100), 0)).isEmpty();
    }

    @Test
    void namesEveryBrokenInvariant() {
        var violations = new OpeningAudit(100, 3, 98, 1, false, 0, 0, 0, 0, 0, 0)
                .violations(order(100, 300, 99, "NO_ANSWER"), 0);

        assertThat(violations).containsExactly("audit not consistent", "I1: 3 remaining + 98 rows ≠ 100",
                "I2: 1 users over the limit", "I3/I4: 98 rows for 99 answered 201", "I5: 1 undefined answers",
                "I7: 3 remaining after 201 sold-out answers");
    }

    @Test
    void anUnansweredRequestMayHaveItsRow() {
        assertThat(audit(100, 0, 100, true).violations(order(100, 300, 99, "NO_ANSWER"), 0))
                .containsExactly("I5: 1 undefined answers");
    }

    @Test
    void noSoldOutAnswerNoStrandingCheck() {
        assertThat(audit(100, 50, 50, true).violations(order(100, 50, 50), 0)).isEqualTo(List.of());
    }
}
