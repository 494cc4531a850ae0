package io.couponrush.loadtest.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OutcomesTest {

    @Test
    void countsSuccessByStatus() {
        assertThat(Outcomes.classify(201, "{\"userCouponId\":7}")).isEqualTo("201");
        assertThat(Outcomes.classify(200, "{\"pong\":true}")).isEqualTo("200");
    }

    @Test
    void countsProblemDetailsByTheirCode() {
        var body = """
                {"type":"about:blank","title":"Conflict","status":409,"code":"COUPON_SOLD_OUT","detail":"sold out"}""";
        assertThat(Outcomes.classify(409, body)).isEqualTo("COUPON_SOLD_OUT");
        assertThat(Outcomes.classify(500, "{\"status\":500, \"code\" : \"INTERNAL_ERROR\"}")).isEqualTo("INTERNAL_ERROR");
    }

    @Test
    void namesErrorsWithoutCodeByStatusAndMissingAnswersAsNoResponse() {
        assertThat(Outcomes.classify(502, "<html>Bad Gateway</html>")).isEqualTo("HTTP_502");
        assertThat(Outcomes.classify(404, null)).isEqualTo("HTTP_404");
        assertThat(Outcomes.classify(null, null)).isEqualTo(Outcomes.NO_RESPONSE);
    }

    @Test
    void readsTheUserCouponIdOfA201Only() {
        var body = "{\"userCouponId\": 123456789012, \"couponId\": 3, \"userId\": 9}";
        assertThat(Outcomes.userCouponId(201, body)).isEqualTo(123456789012L);
        assertThat(Outcomes.userCouponId(200, body)).isEqualTo(Answer.NONE);
        assertThat(Outcomes.userCouponId(201, "{\"couponId\":3}")).isEqualTo(Answer.NONE);
        assertThat(Outcomes.userCouponId(null, null)).isEqualTo(Answer.NONE);
    }

    @Test
    void readsTheUserCouponIdTheServiceWritesAsAString() {
        var body = "{\"userCouponId\":\"250297976830820353\",\"couponId\":\"3\",\"userId\":\"9\"}";
        assertThat(Outcomes.userCouponId(201, body)).isEqualTo(250297976830820353L);
        assertThat(Outcomes.userCouponId(201, "{\"userCouponId\" : \"42\"}")).isEqualTo(42L);
    }

    @Test
    void treatsLostAnswersAndServerErrorsAsAmbiguousButNotRefusals() {
        assertThat(Outcomes.ambiguous(Outcomes.NO_RESPONSE)).isTrue();
        assertThat(Outcomes.ambiguous("INTERNAL_ERROR")).isTrue();
        assertThat(Outcomes.ambiguous("HTTP_502")).isTrue();
        assertThat(Outcomes.ambiguous("COUPON_SOLD_OUT")).isFalse();
        assertThat(Outcomes.ambiguous(Outcomes.NOT_SENT)).isFalse();
        assertThat(Outcomes.ambiguous("OVERLOADED")).isFalse();
        assertThat(Outcomes.ambiguous("201")).isFalse();
    }
}
