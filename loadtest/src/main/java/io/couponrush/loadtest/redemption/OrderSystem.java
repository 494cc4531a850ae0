package io.couponrush.loadtest.redemption;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.couponrush.loadtest.cluster.ConnectionPool;
import io.couponrush.loadtest.faults.RawConnection;
import io.couponrush.loadtest.simulation.Outcomes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An order system calling the redemption endpoints (HTTP Basic with its client id and secret) through the
 * pools of the instances, and telling every call to a ledger.
 */
final class OrderSystem {

    static final String CLIENT_ID = "bench-orders";
    /** The order's total: above any minimum the bench's coupons have (none). */
    static final long ORDER_AMOUNT = 50_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<ConnectionPool> pools;
    private final String authorization;
    private final String strategy;
    private final long originNanos;

    /**
     * @param strategy {@code naive}, {@code conditional}, or {@code null} to send none (the service's default)
     * @param originNanos the {@link System#nanoTime()} the calls' times are counted from
     */
    OrderSystem(List<ConnectionPool> pools, String secret, String strategy, long originNanos) {
        this.pools = List.copyOf(pools);
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((CLIENT_ID + ":" + secret).getBytes(StandardCharsets.UTF_8));
        this.strategy = strategy;
        this.originNanos = originNanos;
    }

    Call reserve(int instance, long copy, long userId, String orderId) {
        var body = new LinkedHashMap<String, Object>();
        body.put("userCouponId", Long.toString(copy));
        body.put("userId", Long.toString(userId));
        body.put("orderId", orderId);
        body.put("orderAmount", ORDER_AMOUNT);
        if (strategy != null) {
            body.put("strategy", strategy);
        }
        return call(instance, Call.Op.RESERVE, copy, orderId, body);
    }

    Call confirm(int instance, long copy, String orderId) {
        var body = new LinkedHashMap<String, Object>();
        body.put("userCouponId", Long.toString(copy));
        body.put("orderId", orderId);
        if (strategy != null) {
            body.put("strategy", strategy);
        }
        return call(instance, Call.Op.CONFIRM, copy, orderId, body);
    }

    Call cancel(int instance, long copy, String orderId) {
        return call(instance, Call.Op.CANCEL, copy, orderId, Map.of("userCouponId", Long.toString(copy), "orderId", orderId));
    }

    private Call call(int instance, Call.Op op, long copy, String orderId, Map<String, Object> body) {
        long sent = millis();
        RawConnection.Response response;
        try {
            response = pools.get(instance).exchange("POST", op.path(), Map.of("Authorization", authorization),
                    JSON.writeValueAsString(body));
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return new Call(copy, orderId, op, instance, sent, millis(), 0, Call.NO_ANSWER, null, -1);
        }
        return answered(copy, orderId, op, instance, sent, millis(), response.status(), response.body());
    }

    /** A call as the ledger keeps it: the code, and a 200's state and hold. */
    static Call answered(long copy, String orderId, Call.Op op, int instance, long sent, long answered, int status, String body) {
        String state = null;
        long holdUntil = -1;
        if (status == 200 && body != null) {
            try {
                var json = JSON.readTree(body);
                state = json.path("state").isTextual() ? json.path("state").asText() : null;
                holdUntil = epochMillis(json.path("holdUntil"));
            } catch (IOException notJson) {
                // counted by its status
            }
        }
        return new Call(copy, orderId, op, instance, sent, answered, status, Outcomes.classify(status, body), state, holdUntil);
    }

    /** An instant as the service writes it (ISO-8601, or epoch seconds with a fraction); -1 when absent. */
    static long epochMillis(JsonNode node) {
        if (node.isNumber()) {
            return node.decimalValue().movePointRight(3).longValue();
        }
        try {
            return node.isTextual() ? Instant.parse(node.asText()).toEpochMilli() : -1;
        } catch (DateTimeParseException e) {
            return -1;
        }
    }

    private long millis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - originNanos);
    }
}
