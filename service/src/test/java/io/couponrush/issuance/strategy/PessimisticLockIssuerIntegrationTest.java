package io.couponrush.issuance.strategy;

import io.couponrush.coupon.Strategy;

class PessimisticLockIssuerIntegrationTest extends IssuerContractIntegrationTest {

    @Override
    Strategy strategy() {
        return Strategy.PESSIMISTIC;
    }
}
