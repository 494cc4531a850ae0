package io.couponrush.loadtest.redemption;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OrderSystemTest {

    @Test
    void aReserveAnswerCarriesItsStateAndHold() {
        var call = OrderSystem.answered(7, "o-1", Call.Op.RESERVE, 1, 10, 30, 200, """
                {"userCouponId":"7","orderId":"o-1","state":"RESERVED","orderAmount":50000,"discount":1000,
                 "holdUntil":"2026-12-06T12:00:05.123456Z"}""");

        assertThat(call.state()).isEqualTo("RESERVED");
        assertThat(call.holdUntil()).isEqualTo(Instant.parse("2026-12-06T12:00:05.123Z").toEpochMilli());
        assertThat(call.label()).isEqualTo("200 RESERVED");
        assertThat(call.latencyMillis()).isEqualTo(20);
    }

    @Test
    void aRefusalIsCountedByItsProblemCode() {
        var call = OrderSystem.answered(7, "o-2", Call.Op.CONFIRM, 0, 10, 30, 409,
                "{\"status\":409,\"code\":\"HOLD_LAPSED\",\"detail\":\"…\"}");

        assertThat(call.code()).isEqualTo("HOLD_LAPSED");
        assertThat(call.label()).isEqualTo("409 HOLD_LAPSED");
        assertThat(call.ambiguous()).isFalse();
        assertThat(OrderSystem.answered(7, "o-2", Call.Op.CONFIRM, 0, 10, 30, 503, "").ambiguous()).isTrue();
    }

    @Test
    void theBooksAreReadFromTheAuditAndMissingOnesAreNull() throws Exception {
        var json = new ObjectMapper();
        var books = Books.of(json.readTree("""
                {"total":10,"books":{"usable":6,"reserved":1,"used":3,"expired":0,"restored":2,"usedTwice":0,"balanced":true}}"""));

        assertThat(books).isEqualTo(new Books(6, 1, 3, 0, 2, 0, true));
        assertThat(books.states()).isEqualTo(10);
        assertThat(books.describe()).isEqualTo("usable 6 · reserved 1 · used 3 · expired 0 (restored 2)");
        assertThat(Books.of(json.readTree("{\"total\":10}"))).isNull();
        assertThat(OrderSystem.epochMillis(json.readTree("1.5"))).isEqualTo(1_500);
    }
}
