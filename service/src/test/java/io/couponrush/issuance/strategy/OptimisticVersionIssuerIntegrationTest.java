package io.couponrush.issuance.strategy;

import io.couponrush.coupon.Strategy;

class OptimisticVersionIssuerIntegrationTest extends IssuerContractIntegrationTest {

    @Override
    Strategy strategy() {
        return Strategy.OPTIMISTIC;
    }

    @Override
    boolean mayGiveUp() {
        return true;
    }
}
