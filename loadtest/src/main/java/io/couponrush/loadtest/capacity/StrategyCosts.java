package io.couponrush.loadtest.capacity;

import io.couponrush.loadtest.costs.CostsFile;
import java.time.Instant;

/**
 * One strategy's measured costs from a {@code costs.json}: a request that was granted, one that was refused
 * after the sell-out, and the trivial endpoint (the HTTP tier's floor), all from accounts the instance had
 * seen within the minute; and what a person's first request to an instance costs beyond that
 * ({@code firstTouch}: the trivial endpoint for accounts never seen, less the same for seen ones).
 *
 * @param gate          the grant path runs the gate in Redis (measured: at least half a Redis command per grant;
 *                      commands, not round trips, since a gate may carry many requests in one script run)
 * @param gateOnRefusal the refusal path runs it too (at least half a command per refusal)
 * @param dbOnRefusal   the refusal path reaches the database (measured: at least half a statement per refusal)
 */
public record StrategyCosts(String strategy, PathCost grant, PathCost refusal, PathCost ping, PathCost firstTouch,
                            String cpu, int cores, Instant measured, boolean gate, boolean gateOnRefusal,
                            boolean dbOnRefusal) {

    public static StrategyCosts from(CostsFile file, String strategy) {
        var grant = file.find(strategy, "grants").orElseThrow(() -> new IllegalArgumentException(
                "no grants row for " + strategy + " in the costs file (run the costs scenario with it); rows: "
                        + file.byRow().keySet()));
        var refusal = file.find(strategy, "refusals").orElseThrow(() -> new IllegalArgumentException(
                "no refusals row for " + strategy + " in the costs file"));
        var ping = file.find("ping", "ping").map(PathCost::of).orElse(PathCost.ZERO);
        var firstTouch = file.find("ping", "first-touch").map(PathCost::of).map(cold -> cold.beyond(ping))
                .orElse(PathCost.ZERO);
        var grantCost = PathCost.of(grant);
        var refusalCost = PathCost.of(refusal);
        return new StrategyCosts(strategy, grantCost, refusalCost, ping, firstTouch, file.cpu(), file.cores(),
                file.measured(),
                grantCost.redisCommands() >= 0.5, refusalCost.redisCommands() >= 0.5,
                refusalCost.databaseStatements() >= 0.5);
    }

    /**
     * One measured run as a whole ({@code flash-burst}'s row of a strategy, phase {@code run}; or {@code ping}):
     * every request at that run's average cost, grant or not. For checking the queueing model against a run
     * with the run's own costs, apart from whether the costs file's costs carried over to it.
     */
    public static StrategyCosts fromRun(CostsFile file, String row) {
        var cost = file.rows().stream().filter(c -> c.row().equals(row) && !c.scenario().equals("costs")
                        && (c.phase().equals("run") || c.phase().equals("ping"))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no run of " + row + " in the costs file"));
        var path = PathCost.of(cost);
        return new StrategyCosts(row, path, path, PathCost.ZERO, PathCost.ZERO, file.cpu(), file.cores(),
                file.measured(), path.redisCommands() >= 0.5, path.redisCommands() >= 0.5,
                path.databaseStatements() >= 0.5);
    }

    /** The same costs on cores {@code speed} times as fast as the measured ones. */
    public StrategyCosts faster(double speed) {
        return new StrategyCosts(strategy, grant.faster(speed), refusal.faster(speed), ping.faster(speed),
                firstTouch.faster(speed), cpu, cores, measured, gate, gateOnRefusal, dbOnRefusal);
    }
}
