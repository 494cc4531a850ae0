package io.couponrush.issuance;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.couponrush.coupon.Strategy;
import org.springframework.stereotype.Component;

/** Every strategy's issuer, by strategy. Refuses to start when a strategy has none or two. */
@Component
class Issuers {

    private final Map<Strategy, Issuer> byStrategy = new EnumMap<>(Strategy.class);

    Issuers(List<Issuer> issuers) {
        for (var issuer : issuers) {
            if (byStrategy.put(issuer.strategy(), issuer) != null) {
                throw new IllegalStateException("two issuers for strategy " + issuer.strategy());
            }
        }
        for (var strategy : Strategy.values()) {
            if (!byStrategy.containsKey(strategy)) {
                throw new IllegalStateException("no issuer for strategy " + strategy);
            }
        }
    }

    Issuer of(Strategy strategy) {
        return byStrategy.get(strategy);
    }
}
