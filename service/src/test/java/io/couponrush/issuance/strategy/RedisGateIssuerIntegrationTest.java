package io.couponrush.issuance.strategy;

import io.couponrush.coupon.Strategy;

class RedisGateIssuerIntegrationTest extends IssuerContractIntegrationTest {

    @Override
    Strategy strategy() {
        return Strategy.REDIS_GATE;
    }
}
