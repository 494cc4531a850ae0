package io.couponrush.issuance.strategy;

import io.couponrush.coupon.Strategy;

class RedisGateOnRedisClusterIntegrationTest extends OnRedisClusterContract {

    @Override
    Strategy strategy() {
        return Strategy.REDIS_GATE;
    }
}
