package io.couponrush.loadtest.costs;

import java.util.EnumMap;
import java.util.Map;

/**
 * What one run (or one phase of it) cost each tier, background subtracted, and the same per request.
 *
 * @param row         {@code ping} or the strategy
 * @param phase       {@code ping}, {@code grants} (every request granted), {@code refusals} (every request
 *                    refused: the coupon sold out before), or {@code run} (a whole scenario run, both mixed)
 * @param cpuMillis   CPU time per tier in milliseconds; a tier not measured is absent
 * @param redis       what Redis executed ({@link RedisCounters#commands()} counts commands inside scripts)
 * @param database    the database's counters; {@link DatabaseCounters#statements()} what the service sent
 * @param loadAverage the machine's load average (1, 5, 15 min) when the phase ended
 */
public record TierCost(String scenario, String row, String phase, int instances, long requests, long grants,
                       double seconds, Map<Tier, Double> cpuMillis, RedisCounters redis, DatabaseCounters database,
                       String loadAverage) {

    public TierCost {
        var copy = new EnumMap<Tier, Double>(Tier.class);
        copy.putAll(cpuMillis);
        cpuMillis = copy;
    }

    public long refusals() {
        return requests - grants;
    }

    public boolean measured(Tier tier) {
        return cpuMillis.containsKey(tier);
    }

    /** CPU milliseconds per request in the tier; NaN when not measured. */
    public double cpuPerRequest(Tier tier) {
        return !measured(tier) || requests == 0 ? Double.NaN : cpuMillis.get(tier) / requests;
    }

    /** Every measured tier of the request together (not {@link Tier#OTHER}): what one request costs the machine. */
    public double cpuPerRequestAll() {
        return requests == 0 ? Double.NaN : cpuMillis.entrySet().stream().filter(e -> e.getKey().ofTheRequest())
                .mapToDouble(Map.Entry::getValue).sum() / requests;
    }

    /** Cores the run's own processes used on average over the phase. */
    public double coresUsed() {
        return seconds <= 0 ? Double.NaN : cpuMillis.entrySet().stream().filter(e -> e.getKey().ofTheRequest())
                .mapToDouble(Map.Entry::getValue).sum() / 1000 / seconds;
    }

    /** Cores other processes on the machine used on average over the phase (NaN when not measured). */
    public double coresOther() {
        return seconds <= 0 || !measured(Tier.OTHER) ? Double.NaN : cpuMillis.get(Tier.OTHER) / 1000 / seconds;
    }

    /**
     * This cost less a background measured with no load (its own length), scaled to this one's length. What
     * other processes used ({@link Tier#OTHER}) is not the servers' background and stays.
     */
    public TierCost less(TierCost background) {
        if (background == null || background.seconds <= 0) {
            return this;
        }
        double factor = seconds / background.seconds;
        var cpu = new EnumMap<Tier, Double>(Tier.class);
        cpuMillis.forEach((tier, millis) -> cpu.put(tier, !tier.ofTheRequest() ? millis
                : Math.max(0, millis - background.cpuMillis.getOrDefault(tier, 0.0) * factor)));
        var net = redis == null || background.redis == null ? redis : redis.less(background.redis.scaled(factor));
        var db = database == null || background.database == null ? database
                : database.less(background.database.scaled(factor));
        return new TierCost(scenario, row, phase, instances, requests, grants, seconds, cpu, net, db, loadAverage);
    }

    public double perRequest(long count) {
        return requests == 0 ? Double.NaN : (double) count / requests;
    }

    public double redisCommandsPerRequest() {
        return redis == null ? Double.NaN : perRequest(redis.commands());
    }

    public double redisRoundTripsPerRequest() {
        return redis == null ? Double.NaN : perRequest(redis.reads());
    }

    public double redisScriptsPerRequest() {
        return redis == null ? Double.NaN : perRequest(redis.scripts());
    }

    public double dbStatementsPerRequest() {
        return database == null ? Double.NaN : perRequest(database.statements());
    }

    /** NaN without grants. */
    public double dbStatementsPerGrant() {
        return database == null || grants == 0 ? Double.NaN : (double) database.statements() / grants;
    }

    /** The database's CPU time per grant (NaN without grants or without the database's pid). */
    public double dbCpuPerGrant() {
        return !measured(Tier.DATABASE) || grants == 0 ? Double.NaN : cpuMillis.get(Tier.DATABASE) / grants;
    }

    /** Requests per second over the phase (first snapshot to last). */
    public double throughput() {
        return seconds <= 0 ? Double.NaN : requests / seconds;
    }
}
