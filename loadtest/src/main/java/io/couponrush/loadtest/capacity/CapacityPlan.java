package io.couponrush.loadtest.capacity;

/**
 * The answer to "how many instances, how many Redis shards, what database" for one sale, from the measured
 * costs. Each tier grows with a different thing: the instances with the requests at the peak (the refusal
 * path, since all but the copies are refused), the coupon's Redis shard with the same requests (one gate
 * lives in one slot, so one shard carries all of it, unless the coupon is split into sub-gates on several
 * masters: {@link #subGates}), the database with the copies only.
 *
 * @param requests             requests in all, retries included
 * @param peakRate             requests per second at the peak
 * @param sellOutSeconds       when the last copy goes: when the copies-th press arrives, or later if the
 *                             database cannot commit that fast
 * @param httpCores            cores the instances need at the peak (refusal path; first presses also pay the
 *                             first touch of an account)
 * @param instances            instances of {@code coresPerInstance} that keep the peak under the headroom
 * @param httpUtilisation      their utilisation at the peak
 * @param sellOutUtilisation   their utilisation while the copies go (grant path at the peak rate)
 * @param sellOutBacklogMillis how long the queue built while the copies go takes to drain (0 if none)
 * @param gateRoundTripsPerSecond round trips to the coupon's shard per second at the peak
 * @param gateCommandsPerSecond   commands it executes per second at the peak
 * @param gateUtilisation      share of the shard's one thread busy at the peak
 * @param gateCapRate          requests per second one shard carries at the headroom (the cap on one coupon)
 * @param gateSellOutUtilisation the shard's thread while the copies go (the grant path costs Redis more)
 * @param gateSellOutBacklogMillis how long the shard's queue built while the copies go takes to drain
 *                             (infinite when the refusals alone fill the thread)
 * @param grantStatements      database statements for all the copies
 * @param grantCommits         commits for all the copies
 * @param grantCpuSeconds      database CPU for all the copies
 * @param databaseSeconds      how long the database needs for the copies, one coupon's grants in a row
 * @param databaseCores        cores the database uses while the copies go
 * @param refusalStatements    statements of the refusal path, all refusals together, with the first touches'
 *                             (account reads) of every person
 * @param refusalStatementsPerSecond the same per second at the peak
 * @param refusalCpuSeconds    the database's CPU for the refusal path, all refusals and first touches together
 */
public record CapacityPlan(Sale sale, Assumptions assumptions, StrategyCosts costs, double requests, double peakRate,
                           double sellOutSeconds, double httpCores, int instances, double httpUtilisation,
                           double sellOutUtilisation, double sellOutBacklogMillis, double gateRoundTripsPerSecond,
                           double gateCommandsPerSecond, double gateUtilisation, double gateCapRate,
                           double gateSellOutUtilisation, double gateSellOutBacklogMillis,
                           double grantStatements, double grantCommits, double grantCpuSeconds, double databaseSeconds,
                           double databaseCores, double refusalStatements, double refusalStatementsPerSecond,
                           double refusalCpuSeconds) {

    public static CapacityPlan of(Sale sale, StrategyCosts measured, Assumptions assumptions) {
        var costs = measured.faster(assumptions.cpuScale());
        double peak = sale.peakRequestRate();
        double presses = sale.peakPressRate();
        int cores = assumptions.coresPerInstance();
        var touch = costs.firstTouch();

        // every request pays the refusal path; a first press also its account's first touch on the instance
        double httpCores = (peak * costs.refusal().serviceMs() + presses * touch.serviceMs()) / 1000;
        int instances = Math.max(1, (int) Math.ceil(httpCores / (cores * assumptions.headroom()) - 1e-9));
        double fleet = (double) instances * cores;
        double httpUtilisation = httpCores / fleet;

        // the copies go at the peak rate, each costing the grant path; the excess queues and drains after
        int granted = (int) Math.min(sale.copies(), sale.people());
        double arrivalSellOut = sale.sellOutSeconds();
        double grantCpuSeconds = granted * costs.grant().databaseMs() / 1000;
        // one coupon's grants take its row lock in turn: its database work does not spread over cores
        double databaseSeconds = grantCpuSeconds;
        double sellOut = Double.isNaN(arrivalSellOut) ? Double.NaN : Math.max(arrivalSellOut, databaseSeconds);
        double sellOutDemand = (peak * costs.grant().serviceMs() + presses * touch.serviceMs()) / 1000;
        double sellOutUtilisation = sellOutDemand / fleet;
        double backlog = 0;
        if (!Double.isNaN(arrivalSellOut) && sellOutUtilisation > 1 && httpUtilisation < 1) {
            double window = granted / peak;
            double excess = (sellOutDemand - fleet) * window; // core-seconds left over when the copies are gone
            backlog = excess / (fleet - httpCores) * 1000;
        }

        double gateTrips = peak * costs.refusal().redisRoundTrips();
        double gateCommands = peak * costs.refusal().redisCommands();
        double gateUtilisation = peak * costs.refusal().redisMs() / 1000;
        double gateCap = costs.refusal().redisMs() > 0 ? assumptions.headroom() * 1000 / costs.refusal().redisMs()
                : Double.POSITIVE_INFINITY;

        double gateSellOut = peak * costs.grant().redisMs() / 1000;
        double gateBacklog = 0;
        if (!Double.isNaN(arrivalSellOut) && gateSellOut > 1) {
            // the copies' gate work arrives within copies / peak seconds; what does not fit queues in front
            double excess = granted * costs.grant().redisMs() - granted / peak * 1000;
            gateBacklog = gateUtilisation >= 1 ? Double.POSITIVE_INFINITY : excess / (1 - gateUtilisation);
        }
        double refusals = sale.requests() - granted;
        double refusalStatements = refusals * costs.refusal().databaseStatements()
                + sale.people() * touch.databaseStatements();
        double databaseCores = Double.isNaN(sellOut) || sellOut <= 0 ? Double.NaN : grantCpuSeconds / sellOut;
        return new CapacityPlan(sale, assumptions, costs, sale.requests(), peak, sellOut, httpCores, instances,
                httpUtilisation, sellOutUtilisation, backlog, gateTrips, gateCommands, gateUtilisation, gateCap,
                gateSellOut, gateBacklog,
                granted * costs.grant().databaseStatements(), granted * costs.grant().databaseCommits(),
                grantCpuSeconds, databaseSeconds, databaseCores, refusalStatements,
                peak * costs.refusal().databaseStatements() + presses * touch.databaseStatements(),
                (refusals * costs.refusal().databaseMs() + sale.people() * touch.databaseMs()) / 1000);
    }

    /** Most sub-gates one coupon may have (the service's limit). */
    public static final int MAX_SUB_GATES = 64;

    /** The coupon's shard stays under the headroom at the peak. */
    public boolean gateFits() {
        return gateUtilisation <= assumptions.headroom();
    }

    /**
     * Sub-gates the coupon needs so that each, on a master of its own, stays under the headroom at the peak:
     * they split the requests evenly (people are routed by a hash of their id), so each carries 1/n of them.
     */
    public int subGates() {
        return Math.max(1, (int) Math.ceil(gateUtilisation / assumptions.headroom() - 1e-9));
    }
}
