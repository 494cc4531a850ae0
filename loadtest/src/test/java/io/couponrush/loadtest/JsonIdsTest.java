package io.couponrush.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JsonIdsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readsAnIdWrittenAsAStringExactly() throws Exception {
        var body = JSON.readTree("{\"userCouponId\":\"250297976830820353\"}");

        assertThat(JsonIds.of(body.path("userCouponId"), -1)).isEqualTo(250297976830820353L);
    }

    @Test
    void readsAnIdWrittenAsANumber() throws Exception {
        assertThat(JsonIds.of(JSON.readTree("{\"id\":12}").path("id"), -1)).isEqualTo(12);
    }

    @Test
    void answersTheFallbackForAnythingElse() throws Exception {
        var body = JSON.readTree("""
                {"missing":null,"text":"abc","negative":"-5","fraction":1.5,"huge":"99999999999999999999"}""");

        for (var field : new String[] {"absent", "missing", "text", "negative", "fraction", "huge"}) {
            assertThat(JsonIds.of(body.path(field), -1)).as(field).isEqualTo(-1);
        }
        assertThat(JsonIds.of(null, -1)).isEqualTo(-1);
    }
}
