package io.couponrush.issuance.strategy;

import io.couponrush.coupon.Strategy;

class GroupCommitIssuerIntegrationTest extends IssuerContractIntegrationTest {

    @Override
    Strategy strategy() {
        return Strategy.BATCHED;
    }
}
