package io.couponrush.issuance.strategy;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param reservationLease how long an admission may stay unsettled before any instance's sweeper
 *                         settles it from the database. A commit can outlast it (pool and lock waits
 *                         are longer): then the sweeper returns the copy, the late owner's commit is
 *                         learned as a grant outside any reservation, and the gate's count is right again
 * @param sweepInterval    how often each instance looks for reservations past their deadline
 * @param exhaustedWait    how long a request that finds no stock but reservations in flight waits for
 *                         them to settle before the database decides (the last batch's commit, normally)
 */
@ConfigurationProperties("couponrush.issuance.redis-gate")
record GateSettings(@DefaultValue("5s") Duration reservationLease, @DefaultValue("1s") Duration sweepInterval,
        @DefaultValue("1s") Duration exhaustedWait) {

    GateSettings {
        if (reservationLease.toMillis() < 100 || sweepInterval.toMillis() < 10) {
            throw new IllegalArgumentException("couponrush.issuance.redis-gate: reservation-lease must be at least "
                    + "100ms and sweep-interval at least 10ms");
        }
    }
}
