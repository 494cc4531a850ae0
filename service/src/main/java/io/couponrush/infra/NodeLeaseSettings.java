package io.couponrush.infra;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param duration   how long a node id lease lasts without renewal; an instance that stops renewing
 *                   (crashed, frozen, cut off) loses its node id to another after this long
 * @param renewEvery how often a live instance renews it; also the safety margin: an instance stops
 *                   minting ids this long before its lease could expire in the database
 */
@ConfigurationProperties("couponrush.node-lease")
public record NodeLeaseSettings(@DefaultValue("20s") Duration duration, @DefaultValue("5s") Duration renewEvery) {

    public NodeLeaseSettings {
        if (renewEvery.isNegative() || renewEvery.isZero() || renewEvery.multipliedBy(2).compareTo(duration) >= 0) {
            throw new IllegalArgumentException("couponrush.node-lease: renew-every must be positive and less than half the duration");
        }
    }
}
