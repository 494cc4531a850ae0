package io.couponrush.issuance.strategy;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param maxBatch requests settled in one transaction at most
 * @param maxQueue requests waiting per coupon and instance at most; beyond it {@code OVERLOADED}
 */
@ConfigurationProperties("couponrush.issuance.batched")
record BatchSettings(@DefaultValue("500") int maxBatch, @DefaultValue("20000") int maxQueue) {

    BatchSettings {
        if (maxBatch < 1 || maxQueue < 1) {
            throw new IllegalArgumentException("couponrush.issuance.batched: max-batch and max-queue must be positive");
        }
    }
}
