package io.couponrush.redemption;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param hold    how long a reservation holds a copy for its order; not confirmed by then, the copy is
 *                usable again by itself (no job: the hold is a time, read by every use)
 * @param clients the order systems allowed to redeem: {@code id} and the SHA-256 (hex) of its secret
 *                ({@code COUPONRUSH_REDEMPTION_CLIENTS_0_ID}, {@code …_SECRET_SHA256}); the embedded run
 *                adds a development client {@code orders} / {@code orders-development-secret} when none
 *                is configured
 */
@ConfigurationProperties("couponrush.redemption")
record RedemptionSettings(@DefaultValue("15m") Duration hold, List<Client> clients) {

    RedemptionSettings {
        if (!hold.isPositive() || hold.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("couponrush.redemption.hold must be positive and at most a day");
        }
        clients = clients == null ? List.of() : List.copyOf(clients);
    }

    /** An order system: its id and the SHA-256 of its secret, in hex. */
    record Client(String id, String secretSha256) {

        Client {
            if (id == null || !id.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalArgumentException("couponrush.redemption.clients[].id must be 1-64 of [A-Za-z0-9._-]");
            }
            if (secretSha256 == null || !secretSha256.matches("[0-9a-fA-F]{64}")) {
                throw new IllegalArgumentException("couponrush.redemption.clients[].secret-sha256 must be 64 hex digits");
            }
        }
    }
}
