package io.couponrush.issuance;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

import static org.assertj.core.api.Assertions.assertThat;

/** Every outcome has exactly one HTTP answer: 201 for a grant, problem+json with the outcome's code otherwise. */
class IssueOutcomeMappingTest {

    @Test
    void mapsEveryOutcomeToItsStatusAndCode() {
        record Expect(IssueOutcome outcome, int status) {
        }
        var cases = List.of(
                new Expect(new IssueOutcome.Issued(new IssuedCoupon(9, 1, 2, Instant.EPOCH)), 201),
                new Expect(IssueOutcome.SOLD_OUT, 409), new Expect(IssueOutcome.ALREADY_ISSUED, 409),
                new Expect(IssueOutcome.NOT_OPEN, 409), new Expect(IssueOutcome.CLOSED, 409),
                new Expect(IssueOutcome.NOT_FOUND, 404), new Expect(IssueOutcome.LOCK_TIMEOUT, 409),
                new Expect(IssueOutcome.CONTENTION, 409), new Expect(IssueOutcome.OVERLOADED, 503),
                new Expect(new IssueOutcome.Failed("deadlock"), 500));

        for (var c : cases) {
            var response = IssuanceController.toHttp(c.outcome(), 1);
            assertThat(response.getStatusCode().value()).as(c.outcome().code()).isEqualTo(c.status());
            if (c.status() != 201) {
                assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
                assertThat(((ProblemDetail) response.getBody()).getProperties()).containsEntry("code", c.outcome().code());
            }
        }
        assertThat(IssuanceController.toHttp(IssueOutcome.OVERLOADED, 1).getHeaders().getFirst("Retry-After")).isEqualTo("1");
    }
}
