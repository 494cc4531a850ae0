package io.couponrush.issuance;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** Every outcome has exactly one HTTP answer: 201 for a grant, problem+json with the outcome's code otherwise. */
class IssueOutcomeMappingTest {

    private static final String ISSUE = "/api/v1/coupons/1/issue";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The body as a client reads it: a ProblemDetail as Spring MVC writes it, or the bytes written directly. */
    private static JsonNode body(ResponseEntity<?> response) {
        return switch (response.getBody()) {
            case byte[] bytes -> JSON.readTree(bytes);
            case ProblemDetail problem -> {
                var tree = (tools.jackson.databind.node.ObjectNode) JSON.valueToTree(problem.getProperties());
                tree.put("status", problem.getStatus());
                tree.put("instance", ISSUE); // what Spring MVC fills in from the request
                yield tree;
            }
            default -> throw new AssertionError("unexpected body " + response.getBody());
        };
    }

    @Test
    void mapsEveryOutcomeToItsStatusAndCode() {
        record Expect(IssueOutcome outcome, int status) {
        }
        var cases = List.of(
                new Expect(new IssueOutcome.Issued(new IssuedCoupon(9, 1, 2, Instant.EPOCH)), 201),
                new Expect(IssueOutcome.SOLD_OUT, 409),
                new Expect(new IssueOutcome.AlreadyIssued(new Holding(1, new IssuedCoupon(9, 1, 2, Instant.EPOCH), null)), 409),
                new Expect(IssueOutcome.NOT_OPEN, 409), new Expect(IssueOutcome.CLOSED, 409),
                new Expect(IssueOutcome.NOT_FOUND, 404), new Expect(IssueOutcome.LOCK_TIMEOUT, 409),
                new Expect(IssueOutcome.CONTENTION, 409), new Expect(IssueOutcome.OVERLOADED, 503),
                new Expect(IssueOutcome.UNSETTLED, 503), new Expect(new IssueOutcome.KeyReused(7), 422),
                new Expect(new IssueOutcome.Failed("deadlock"), 500));

        for (var c : cases) {
            var response = IssuanceController.toHttp(c.outcome(), 1, ISSUE);
            assertThat(response.getStatusCode().value()).as(c.outcome().code()).isEqualTo(c.status());
            if (c.status() != 201) {
                assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
                assertThat(body(response).get("code").asString()).isEqualTo(c.outcome().code());
                assertThat(body(response).get("status").asInt()).isEqualTo(c.status());
                assertThat(body(response).get("instance").asString()).isEqualTo(ISSUE);
            }
        }
        assertThat(IssuanceController.toHttp(IssueOutcome.OVERLOADED, 1, ISSUE).getHeaders().getFirst("Retry-After")).isEqualTo("1");
        assertThat(IssuanceController.toHttp(IssueOutcome.UNSETTLED, 1, ISSUE).getHeaders().getFirst("Retry-After")).isEqualTo("1");
    }

    /** A client whose 201 was lost learns from ALREADY_ISSUED what it holds (I6). */
    @Test
    void alreadyIssuedCarriesTheGrant() {
        var grant = new IssuedCoupon(250297976830820352L, 1, 2, Instant.parse("2026-11-24T10:00:00.123456Z"));

        var response = IssuanceController.toHttp(new IssueOutcome.AlreadyIssued(new Holding(1, grant, "k")), 1, ISSUE);

        var body = body(response);
        assertThat(body.get("userCouponId").asString()).isEqualTo("250297976830820352");
        assertThat(Instant.parse(body.get("issuedAt").asString())).isEqualTo(grant.issuedAt());
        assertThat(body.get("copiesHeld").asInt()).isEqualTo(1);
        assertThat(body.get("detail").asString()).isEqualTo("You hold 1 copy of coupon 1 and this request got no other");
    }

    @Test
    void aReplayedGrantIsACreatedWithTheReplayHeader() {
        var grant = new IssuedCoupon(9, 1, 2, Instant.EPOCH);

        var replay = IssuanceController.toHttp(new IssueOutcome.Issued(grant, true), 1, ISSUE);
        var first = IssuanceController.toHttp(new IssueOutcome.Issued(grant), 1, ISSUE);

        assertThat(replay.getStatusCode().value()).isEqualTo(201);
        assertThat(replay.getBody()).isEqualTo(grant);
        assertThat(replay.getHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
        assertThat(first.getHeaders().getFirst("Idempotent-Replayed")).isNull();
    }

    @Test
    void acceptsVisibleAsciiKeysAndRejectsTheRest() {
        assertThat(IssuanceController.idempotencyKey(null)).isNull();
        assertThat(IssuanceController.idempotencyKey("8e03978e-40d5-43e8-bc93-6894a57f9324")).isEqualTo("8e03978e-40d5-43e8-bc93-6894a57f9324");
        assertThat(IssuanceController.idempotencyKey("\"quoted-key\"")).isEqualTo("quoted-key");
        assertThat(IssuanceController.idempotencyKey("x".repeat(255))).hasSize(255);
        for (var bad : List.of("", "  ", "\"\"", "x".repeat(256), "with space", "tab\tkey", "h\u00e9")) {
            org.assertj.core.api.Assertions.assertThatExceptionOfType(io.couponrush.web.ApiException.class)
                    .as(bad).isThrownBy(() -> IssuanceController.idempotencyKey(bad));
        }
    }
}
