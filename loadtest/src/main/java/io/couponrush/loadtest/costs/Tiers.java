package io.couponrush.loadtest.costs;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Where to read each tier's counters: the pids of the processes the harness started (the generator is
 * the harness itself), Redis's port and the database's JDBC URL. A tier the harness did not start (servers
 * from the environment) is simply absent and reported as not measured.
 *
 * @param redisPort 0 when Redis is not the harness's
 * @param jdbcUrl   null when the database is not the harness's
 */
public record Tiers(Map<Tier, List<Long>> pids, int instances, int redisPort, String jdbcUrl) {

    public Tiers {
        var copy = new EnumMap<Tier, List<Long>>(Tier.class);
        pids.forEach((tier, list) -> {
            var live = list.stream().filter(pid -> pid > 0).toList();
            if (!live.isEmpty()) {
                copy.put(tier, live);
            }
        });
        pids = copy;
    }

    public boolean has(Tier tier) {
        return pids.containsKey(tier);
    }
}
