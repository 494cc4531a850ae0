package io.couponrush.issuance.strategy;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param maxBatch          requests settled in one transaction at most
 * @param maxQueue          requests waiting per coupon and instance at most; beyond it {@code OVERLOADED}
 * @param soldOutHoldersMax holders of a sold-out coupon kept in memory to answer their retries
 *                          {@code ALREADY_ISSUED} without a query; a coupon held by more users answers
 *                          each sold-out request with one indexed lookup instead
 */
@ConfigurationProperties("couponrush.issuance.batched")
record BatchSettings(@DefaultValue("500") int maxBatch, @DefaultValue("20000") int maxQueue,
        @DefaultValue("1000000") int soldOutHoldersMax) {

    BatchSettings {
        if (maxBatch < 1 || maxQueue < 1 || soldOutHoldersMax < 0) {
            throw new IllegalArgumentException("couponrush.issuance.batched: max-batch and max-queue must be positive");
        }
    }
}
