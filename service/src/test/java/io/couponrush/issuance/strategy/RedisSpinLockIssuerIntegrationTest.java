package io.couponrush.issuance.strategy;

import io.couponrush.coupon.Strategy;

class RedisSpinLockIssuerIntegrationTest extends IssuerContractIntegrationTest {

    @Override
    Strategy strategy() {
        return Strategy.REDIS_LOCK;
    }

    @Override
    boolean mayGiveUp() {
        return true;
    }
}
