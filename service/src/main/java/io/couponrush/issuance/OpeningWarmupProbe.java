package io.couponrush.issuance;

/** One warm-up pass on demand, for tests in other packages and for operators' tooling. */
public interface OpeningWarmupProbe {

    /** Makes every coupon opening within the lead, or open, ready now; answers how many. */
    int warm();
}
