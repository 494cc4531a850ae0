package io.couponrush.issuance.strategy;

import io.couponrush.coupon.Strategy;

class RedisSpinLockOnRedisClusterIntegrationTest extends OnRedisClusterContract {

    @Override
    Strategy strategy() {
        return Strategy.REDIS_LOCK;
    }

    @Override
    boolean mayGiveUp() {
        return true;
    }
}
