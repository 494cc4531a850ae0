package io.couponrush.loadtest.room;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.couponrush.loadtest.faults.RawConnection;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CrowdTest {

    @Test
    void aJoinAnswerCarriesThePlaceItsWaitAndWhenToLookAgain() {
        var body = """
                {"state":"WAITING","detail":"You are number 3","couponId":"42","copiesLeft":60,"waiting":9,"admitted":0,
                 "position":3,"ahead":2,"estimatedWaitSeconds":7,"chance":"LIKELY","retryAfterSeconds":1}""";

        var e = Crowd.exchange(Exchange.Kind.JOIN, -3_000, -2_950, new RawConnection.Response(201, body, true, "1"));

        assertThat(e.code()).isEqualTo("201");
        assertThat(e.state()).isEqualTo("WAITING");
        assertThat(e.estimatedWaitSeconds()).isEqualTo(7);
        assertThat(e.positioned()).isTrue();
        assertThat(e.retryAfterSeconds()).isEqualTo(1);
        assertThat(e.label()).isEqualTo("201 WAITING");
    }

    @Test
    void aRaffleEntrantBeforeTheDrawHasNoPosition() {
        var body = "{\"state\":\"WAITING\",\"position\":null,\"drawAt\":\"2026-12-06T12:00:00Z\",\"estimatedWaitSeconds\":3}";

        var e = Crowd.exchange(Exchange.Kind.POLL, 0, 9, new RawConnection.Response(200, body, true, "1"));

        assertThat(e.positioned()).isFalse();
        assertThat(e.estimatedWaitSeconds()).isEqualTo(3);
    }

    @Test
    void anAdmittedPlaceSaysWhenAndARefusedPressCarriesItsPlace() {
        var admitted = Crowd.exchange(Exchange.Kind.POLL, 0, 9, new RawConnection.Response(200,
                "{\"state\":\"ADMITTED\",\"admittedAt\":\"2026-12-06T12:00:01.200Z\",\"turnEndsAt\":\"2026-12-06T12:00:31.200Z\"}",
                true, "5"));
        assertThat(admitted.admittedAtMillis()).isEqualTo(Instant.parse("2026-12-06T12:00:01.200Z").toEpochMilli());

        var refused = Crowd.exchange(Exchange.Kind.PRESS, 0, 9, new RawConnection.Response(409,
                "{\"type\":\"about:blank\",\"status\":409,\"code\":\"NOT_ADMITTED\",\"state\":\"WAITING\",\"position\":4}", true, "2"));
        assertThat(refused.code()).isEqualTo("NOT_ADMITTED");
        assertThat(refused.state()).isEqualTo("WAITING");
        assertThat(refused.label()).isEqualTo("409 NOT_ADMITTED");

        var granted = Crowd.exchange(Exchange.Kind.PRESS, 0, 9, new RawConnection.Response(201,
                "{\"userCouponId\":\"250297976830820352\",\"couponId\":\"42\"}", true, null));
        assertThat(granted.state()).isEqualTo("ISSUED");
        assertThat(granted.userCouponId()).isEqualTo(250_297_976_830_820_352L);
        assertThat(granted.label()).isEqualTo("201");
    }

    @Test
    void instantsAreReadAsIsoOrEpochSeconds() throws Exception {
        var json = new ObjectMapper();
        assertThat(Crowd.epochMillis(json.readTree("\"1970-01-01T00:00:01.5Z\""))).isEqualTo(1_500);
        assertThat(Crowd.epochMillis(json.readTree("2.25"))).isEqualTo(2_250);
        assertThat(Crowd.epochMillis(json.readTree("null"))).isEqualTo(-1);
        assertThat(Crowd.seconds("soon")).isEqualTo(1);
    }
}
