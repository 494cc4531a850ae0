package io.couponrush.coupon;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param defaultStrategy settles coupons created without a strategy
 * @param allowUnsafe     whether coupons may use {@code none}, the naive strategy that oversells
 */
@ConfigurationProperties("couponrush.issuance")
public record IssuanceSettings(@DefaultValue("batched") String defaultStrategy, @DefaultValue("false") boolean allowUnsafe) {

    public IssuanceSettings {
        if (Strategy.byId(defaultStrategy).isEmpty()) {
            throw new IllegalArgumentException("couponrush.issuance.default-strategy: unknown strategy '"
                    + defaultStrategy + "'");
        }
    }

    public Strategy defaultStrategyValue() {
        return Strategy.byId(defaultStrategy).orElseThrow();
    }
}
