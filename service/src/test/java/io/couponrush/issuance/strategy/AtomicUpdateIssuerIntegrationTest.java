package io.couponrush.issuance.strategy;

import io.couponrush.coupon.Strategy;

class AtomicUpdateIssuerIntegrationTest extends IssuerContractIntegrationTest {

    @Override
    Strategy strategy() {
        return Strategy.ATOMIC;
    }
}
