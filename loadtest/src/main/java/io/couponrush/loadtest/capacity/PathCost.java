package io.couponrush.loadtest.capacity;

import io.couponrush.loadtest.costs.Tier;
import io.couponrush.loadtest.costs.TierCost;

/**
 * What one request of a kind (a grant, a refusal, the trivial endpoint) costs each tier, per request. CPU in
 * milliseconds of the measured machine's cores; a tier that was not measured counts as 0 and is named in
 * {@link #unmeasured}.
 */
public record PathCost(double serviceMs, double redisMs, double databaseMs, double proxyMs, double generatorMs,
                       double redisCommands, double redisRoundTrips, double databaseStatements,
                       double databaseCommits, String unmeasured) {

    public static final PathCost ZERO = new PathCost(0, 0, 0, 0, 0, 0, 0, 0, 0, "");

    public static PathCost of(TierCost cost) {
        var missing = new StringBuilder();
        for (var tier : Tier.values()) {
            if (!cost.measured(tier)) {
                missing.append(missing.isEmpty() ? "" : ", ").append(tier.id());
            }
        }
        return new PathCost(value(cost.cpuPerRequest(Tier.SERVICE)), value(cost.cpuPerRequest(Tier.REDIS)),
                value(cost.cpuPerRequest(Tier.DATABASE)), value(cost.cpuPerRequest(Tier.PROXY)),
                value(cost.cpuPerRequest(Tier.GENERATOR)), value(cost.redisCommandsPerRequest()),
                value(cost.redisRoundTripsPerRequest()), value(cost.dbStatementsPerRequest()),
                cost.database() == null || cost.requests() == 0 ? 0
                        : (double) cost.database().get("Com_commit") / cost.requests(),
                missing.toString());
    }

    private static double value(double measured) {
        return Double.isNaN(measured) ? 0 : measured;
    }

    /** The same work on cores {@code speed} times as fast as the measured ones (counts unchanged). */
    public PathCost faster(double speed) {
        return new PathCost(serviceMs / speed, redisMs / speed, databaseMs / speed, proxyMs / speed,
                generatorMs / speed, redisCommands, redisRoundTrips, databaseStatements, databaseCommits, unmeasured);
    }

    /** What this costs beyond {@code base}, tier by tier, never below zero (the first touch beyond a warm request). */
    public PathCost beyond(PathCost base) {
        return new PathCost(Math.max(0, serviceMs - base.serviceMs), Math.max(0, redisMs - base.redisMs),
                Math.max(0, databaseMs - base.databaseMs), Math.max(0, proxyMs - base.proxyMs),
                Math.max(0, generatorMs - base.generatorMs), Math.max(0, redisCommands - base.redisCommands),
                Math.max(0, redisRoundTrips - base.redisRoundTrips),
                Math.max(0, databaseStatements - base.databaseStatements),
                Math.max(0, databaseCommits - base.databaseCommits), unmeasured);
    }

    /** Everything that ran on the machine for this request (the generator and the proxy included). */
    public double machineMs() {
        return serviceMs + redisMs + databaseMs + proxyMs + generatorMs;
    }
}
