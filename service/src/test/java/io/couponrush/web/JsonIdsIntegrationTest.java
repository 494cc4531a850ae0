package io.couponrush.web;

import java.util.Map;
import java.util.UUID;

import io.couponrush.IntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every 64-bit id leaves the API as a JSON string: grant ids are above 2^53, where a JavaScript
 * client reading a number gets a different (and shared) value. And a grant's {@code Location} is
 * a resource its holder can read.
 */
class JsonIdsIntegrationTest extends IntegrationTest {

    @Test
    void aGrantAnswersItsIdsAsStringsThatSurviveADoubleRoundTrip() {
        long coupon = fixtures.coupon("atomic", 5, 1);
        var user = fixtures.user();

        var issued = api.post("/api/v1/coupons/" + coupon + "/issue", user.token(), null);

        assertThat(issued.status()).as(issued.body()).isEqualTo(201);
        var body = issued.json();
        assertStringId(body, "userCouponId");
        assertStringId(body, "couponId");
        assertStringId(body, "userId");
        long grant = Long.parseLong(body.get("userCouponId").asString());
        assertThat(grant).as("grant ids are past what a double holds exactly").isGreaterThan(1L << 53);
        assertThat(fixtures.rowExists(grant)).isTrue();
        assertThat(body.get("couponId").asString()).isEqualTo(Long.toString(coupon));
    }

    @Test
    void alreadyIssuedNamesTheGrantAsAString() {
        long coupon = fixtures.coupon("atomic", 5, 1);
        var user = fixtures.user();
        var first = api.post("/api/v1/coupons/" + coupon + "/issue", user.token(), null);

        var again = api.post("/api/v1/coupons/" + coupon + "/issue", user.token(), null);

        assertThat(again.code()).isEqualTo("ALREADY_ISSUED");
        assertStringId(again.json(), "userCouponId");
        assertThat(again.json().get("userCouponId").asString()).isEqualTo(first.json().get("userCouponId").asString());
    }

    @Test
    void theLocationOfAGrantIsReadableByItsHolderOnly() {
        long coupon = fixtures.coupon("batched", 5, 1);
        var holder = fixtures.user();
        var issued = api.post("/api/v1/coupons/" + coupon + "/issue", holder.token(), null);
        var location = issued.headers().firstValue("Location").orElseThrow();

        var mine = api.get(location, holder.token());
        var theirs = api.get(location, fixtures.user().token());
        var nobody = api.get(location, null);

        assertThat(mine.status()).as(mine.body()).isEqualTo(200);
        assertThat(mine.json().get("userCouponId").asString()).isEqualTo(issued.json().get("userCouponId").asString());
        assertThat(mine.json().get("couponId").asString()).isEqualTo(Long.toString(coupon));
        assertThat(mine.json().get("couponName").asString()).isEqualTo("test coupon");
        // another user's grant is as absent as a grant that does not exist: ids reveal nothing
        assertThat(theirs.status()).isEqualTo(404);
        assertThat(theirs.code()).isEqualTo("NOT_FOUND");
        assertThat(api.get("/api/v1/users/me/coupons/123", holder.token()).body())
                .isEqualTo(theirs.body().replace(location.substring(location.lastIndexOf('/') + 1), "123"));
        assertThat(nobody.status()).isEqualTo(401);
    }

    @Test
    void theListOfMyCouponsUsesTheSameStringIds() {
        long coupon = fixtures.coupon("atomic", 5, 1);
        var user = fixtures.user();
        var issued = api.post("/api/v1/coupons/" + coupon + "/issue", user.token(), null);

        var list = api.get("/api/v1/users/me/coupons", user.token()).json();

        assertThat(list.size()).isEqualTo(1);
        assertStringId(list.get(0), "userCouponId");
        assertStringId(list.get(0), "couponId");
        assertThat(list.get(0).get("userCouponId").asString()).isEqualTo(issued.json().get("userCouponId").asString());
    }

    @Test
    void couponsAndAccountsAnswerStringIdsToo() {
        long coupon = fixtures.coupon("atomic", 5, 1);
        var signup = api.post("/api/v1/auth/signup", null, Map.of("email",
                "ids-" + UUID.randomUUID().toString().substring(0, 8) + "@test.io", "password", "passw0rd-ids", "nickname", "ids"));

        assertStringId(api.get("/api/v1/coupons/" + coupon, null).json(), "id");
        assertStringId(api.get("/api/v1/coupons?size=1", null).json().get("items").get(0), "id");
        assertStringId(signup.json(), "id");
        // other numbers stay numbers
        assertThat(api.get("/api/v1/coupons/" + coupon, null).json().get("totalQuantity").isNumber()).isTrue();
        assertThat(api.get("/api/v1/coupons/" + coupon, null).json().get("discountAmount").isNumber()).isTrue();
    }

    @Test
    void theOpenApiDocumentDeclaresIdsAsInt64Strings() {
        var schemas = api.get("/v3/api-docs", null).json().get("components").get("schemas");

        for (var idOf : Map.of("IssuedCoupon", "userCouponId", "HeldCoupon", "userCouponId", "CouponView", "id",
                "UserView", "id").entrySet()) {
            var property = schemas.get(idOf.getKey()).get("properties").get(idOf.getValue());
            assertThat(property.toString()).as(idOf.toString()).contains("\"string\"").contains("\"int64\"")
                    .doesNotContain("integer");
        }
        assertThat(schemas.get("CouponView").get("properties").get("discountAmount").toString()).contains("integer");
    }

    private static void assertStringId(JsonNode node, String field) {
        assertThat(node.get(field)).as(field + " in " + node).isNotNull();
        assertThat(node.get(field).isString()).as(field + " in " + node).isTrue();
        assertThat(node.get(field).asString()).matches("[1-9][0-9]*");
    }
}
