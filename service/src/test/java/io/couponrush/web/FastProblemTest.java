package io.couponrush.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

/** The directly written problem body is the one Spring MVC writes for the same ProblemDetail. */
class FastProblemTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void carriesEveryMemberOfTheProblemDetailWithItsCodeAndExtras() {
        var issuedAt = Instant.parse("2026-11-24T10:00:00.123456Z");

        var response = Problems.fastResponse(ErrorCode.ALREADY_ISSUED, "You hold 1 copy", "/api/v1/coupons/7/issue",
                "userCouponId", "250297976830820352", "issuedAt", issuedAt, "copiesHeld", 1);

        var expected = Problems.of(ErrorCode.ALREADY_ISSUED, "You hold 1 copy");
        var body = JSON.readTree(response.getBody());
        assertThat(response.getStatusCode().value()).isEqualTo(409);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(response.getHeaders().getContentLength()).isEqualTo(response.getBody().length);
        assertThat(body.get("type").asString()).isEqualTo(expected.getType().toString());
        assertThat(body.get("title").asString()).isEqualTo(expected.getTitle());
        assertThat(body.get("status").asInt()).isEqualTo(409);
        assertThat(body.get("detail").asString()).isEqualTo("You hold 1 copy");
        assertThat(body.get("instance").asString()).isEqualTo("/api/v1/coupons/7/issue");
        assertThat(body.get("code").asString()).isEqualTo("ALREADY_ISSUED");
        assertThat(body.get("userCouponId").asString()).isEqualTo("250297976830820352");
        assertThat(body.get("issuedAt").asString()).isEqualTo("2026-11-24T10:00:00.123456Z");
        assertThat(body.get("copiesHeld").asInt()).isEqualTo(1);
        assertThat(body.size()).isEqualTo(9);
    }

    @Test
    void escapesWhatItQuotes() {
        var response = Problems.fastResponse(ErrorCode.COUPON_SOLD_OUT, "a \"quoted\" \\ détail\n", "/x?\"y\"");

        var body = JSON.readTree(response.getBody());

        assertThat(body.get("detail").asString()).isEqualTo("a \"quoted\" \\ détail\n");
        assertThat(body.get("instance").asString()).isEqualTo("/x?\"y\"");
    }

    @Test
    void overloadedAnswersSayWhenToTryAgain() {
        var response = Problems.fastResponse(ErrorCode.OVERLOADED, "busy", "/");

        assertThat(response.getHeaders().getFirst("Retry-After")).isEqualTo("1");
        assertThat(response.getStatusCode().value()).isEqualTo(503);
    }
}
