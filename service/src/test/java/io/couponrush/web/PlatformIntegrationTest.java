package io.couponrush.web;

import io.couponrush.IntegrationTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PlatformIntegrationTest extends IntegrationTest {

    @Test
    void publishesTheOpenApiDocument() {
        var docs = api.get("/v3/api-docs", null);

        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.json().get("paths").has("/api/v1/coupons/{id}/issue")).isTrue();
        assertThat(api.get("/swagger-ui/index.html", null).status()).isEqualTo(200);
    }

    @Test
    void exposesIssueOutcomesByStrategyAndCode() {
        long coupon = fixtures.coupon("pessimistic", 1, 1);
        api.post("/api/v1/coupons/" + coupon + "/issue", fixtures.user().token(), null);
        api.post("/api/v1/coupons/" + coupon + "/issue", fixtures.user().token(), null);
        var later = clock.instant().plus(java.time.Duration.ofDays(1));
        long notYet = fixtures.coupon("pessimistic", 1, 1, later, later.plus(java.time.Duration.ofDays(1)));
        api.post("/api/v1/coupons/" + notYet + "/issue", fixtures.user().token(), null);

        var metrics = api.get("/actuator/prometheus", fixtures.admin().token());

        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("couponrush_issue_outcomes_total{code=\"ISSUED\",strategy=\"pessimistic\"}")
                .contains("couponrush_issue_outcomes_total{code=\"COUPON_SOLD_OUT\",strategy=\"pessimistic\"}")
                .contains("couponrush_issue_outcomes_total{code=\"ISSUE_NOT_OPEN\",strategy=\"pessimistic\"}")
                .contains("couponrush_issue_latency_seconds_bucket{strategy=\"pessimistic\"");
        assertThat(api.get("/actuator/health", null).json().get("status").asString()).isEqualTo("UP");
    }

    @Test
    void observesEveryRequestAsHttpExceptTheIssuePath() {
        long coupon = fixtures.coupon("batched", 5, 1);
        api.post("/api/v1/coupons/" + coupon + "/issue", fixtures.user().token(), null);
        api.get("/api/v1/coupons/" + coupon, null);

        var metrics = api.get("/actuator/prometheus", fixtures.admin().token()).body();

        assertThat(metrics).contains("http_server_requests_seconds_count{")
                .contains("uri=\"/api/v1/coupons/{id}\"")
                .doesNotContain("uri=\"/api/v1/coupons/{id}/issue\"")
                .doesNotContain("spring_security_");
        assertThat(metrics).contains("couponrush_issue_outcomes_total{code=\"ISSUED\",strategy=\"batched\"}");
    }

    @Test
    void listsAndShowsCouponsWithRemainingStock() {
        long coupon = fixtures.coupon("atomic", 3, 1);
        api.post("/api/v1/coupons/" + coupon + "/issue", fixtures.user().token(), null);

        var one = api.get("/api/v1/coupons/" + coupon, null);
        var page = api.get("/api/v1/coupons?page=0&size=5", null);

        assertThat(one.json().get("remaining").asInt()).isEqualTo(2);
        assertThat(one.json().get("strategy").asString()).isEqualTo("atomic");
        assertThat(page.json().get("items").get(0).get("id").asLong()).isEqualTo(coupon);
        assertThat(page.json().get("totalItems").asLong()).isGreaterThanOrEqualTo(1);
    }
}
