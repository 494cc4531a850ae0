package io.couponrush.issuance.strategy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import io.couponrush.issuance.Holding;
import io.couponrush.issuance.IssuedCoupon;

/** How a gate's holders hash writes what a user holds: text the Lua scripts can compare and the service can read back. */
final class GateRecords {

    private GateRecords() {
    }

    /** {@code id|micros|key}: a committed row as the holders hash keeps it. */
    static String grantValue(IssuedCoupon row, String key) {
        var at = row.issuedAt();
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, at);
        return row.userCouponId() + "|" + micros + "|" + (key == null ? "" : key);
    }

    static String holdingValue(Holding holding) {
        return holding.copies() + "|" + grantValue(holding.latest(), holding.latestKey());
    }

    /** Parses {@code copies|id|micros|key}; the key is last and may itself contain '|'. */
    static Holding holding(long couponId, long userId, String value) {
        var parts = value.split("\\|", 4);
        var at = Instant.EPOCH.plus(Long.parseLong(parts[2]), ChronoUnit.MICROS);
        var key = parts.length < 4 || parts[3].isEmpty() ? null : parts[3];
        return new Holding(Integer.parseInt(parts[0]), new IssuedCoupon(Long.parseLong(parts[1]), couponId, userId, at), key);
    }
}
