package io.couponrush.loadtest.costs;

import java.util.Map;

/** Every counter at one moment; two of them make a {@link TierCost}. */
/**
 * @param ticks        CPU ticks so far per tier of the request
 * @param machineTicks the machine's busy ticks so far ({@code /proc/stat}), -1 when unknown
 */
public record TierSnapshot(long nanos, Map<Tier, Long> ticks, long machineTicks, RedisCounters redis,
                           DatabaseCounters database, String loadAverage) {

    public TierSnapshot {
        ticks = Map.copyOf(ticks);
    }
}
