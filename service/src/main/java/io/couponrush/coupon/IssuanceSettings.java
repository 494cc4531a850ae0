package io.couponrush.coupon;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param defaultStrategy settles coupons created without a strategy
 * @param allowUnsafe     whether coupons may use {@code none}, the naive strategy that oversells
 * @param termsIdleAfter  a coupon's terms stay cached while it is asked for at least this often
 * @param termsCacheSize  coupons whose terms are cached at most (least recently used go first)
 */
@ConfigurationProperties("couponrush.issuance")
public record IssuanceSettings(@DefaultValue("batched") String defaultStrategy, @DefaultValue("false") boolean allowUnsafe,
        @DefaultValue("1m") java.time.Duration termsIdleAfter, @DefaultValue("100000") int termsCacheSize) {

    public IssuanceSettings {
        if (termsIdleAfter.isNegative() || termsIdleAfter.isZero() || termsCacheSize < 1) {
            throw new IllegalArgumentException("couponrush.issuance: terms-idle-after and terms-cache-size must be positive");
        }
        if (Strategy.byId(defaultStrategy).isEmpty()) {
            throw new IllegalArgumentException("couponrush.issuance.default-strategy: unknown strategy '"
                    + defaultStrategy + "'");
        }
    }

    public Strategy defaultStrategyValue() {
        return Strategy.byId(defaultStrategy).orElseThrow();
    }
}
