package io.couponrush.loadtest.capacity;

import java.util.Arrays;

/**
 * The bench's own machine as a model: every tier (instances, Redis, MariaDB, HAProxy, the generator) on the
 * same {@code cores}, so a request costs the machine the sum of its tiers' CPU, and the machine is one queue
 * that does {@code cores} milliseconds of work per millisecond. Arrivals are the flash burst's: evenly spread
 * over the window, the first {@code copies} granted. Answers leave in arrival order (the burst's pool of
 * connections is a FIFO), so the i-th answer leaves when the work of everyone before it is done, and never
 * sooner than its own path (service, Redis and database, one after another) allows.
 */
public final class SharedMachine {

    /**
     * @param throughput requests per second from the first arrival to the last answer, as the bench counts it
     * @param latency    p50, p95, p99, max in milliseconds, from each arrival
     * @param soldOutMillis when the last copy's answer left (NaN when the copies outlast the burst)
     */
    public record Prediction(double throughput, double[] latency, double soldOutMillis, double utilisation) {

        public double p50() {
            return latency[0];
        }

        public double p95() {
            return latency[1];
        }

        public double p99() {
            return latency[2];
        }

        public double max() {
            return latency[3];
        }
    }

    private SharedMachine() {
    }

    /**
     * Every tier on the same {@code cores}.
     *
     * @param proxyMs HAProxy's CPU per request when it stands in front (more than one instance), else 0; it
     *                replaces whatever the costs file measured for the proxy
     */
    public static Prediction predict(int arrivals, double windowSeconds, int copies, StrategyCosts costs, int cores,
                                     double proxyMs) {
        return predict(arrivals, windowSeconds, copies, costs, cores, 0, proxyMs);
    }

    /**
     * The instances pinned to {@code serviceCores}, everything else (generator, Redis, MariaDB, HAProxy) to
     * {@code otherCores} ({@code taskset}); with {@code otherCores} 0, all on {@code serviceCores}. Each group of
     * cores is a queue of its own, and an answer leaves when both have done its work (the slower group sets
     * the pace).
     */
    public static Prediction predict(int arrivals, double windowSeconds, int copies, StrategyCosts costs,
                                     int serviceCores, int otherCores, double proxyMs) {
        double window = windowSeconds * 1000;
        boolean split = otherCores > 0;
        var latencies = new double[arrivals];
        double freeService = 0;
        double freeOther = 0;
        double soldOut = Double.NaN;
        double work = 0;
        double last = 0;
        for (int i = 0; i < arrivals; i++) {
            double arrival = window * i / arrivals;
            var path = i < copies ? costs.grant() : costs.refusal();
            double all = path.machineMs() - path.proxyMs() + proxyMs;
            double service = split ? path.serviceMs() : all;
            double other = split ? all - path.serviceMs() : 0;
            work += all;
            double own = path.serviceMs() + path.redisMs() + path.databaseMs();
            freeService = Math.max(freeService, arrival) + service / serviceCores;
            double done = Math.max(freeService, arrival + own);
            if (split) {
                freeOther = Math.max(freeOther, arrival) + other / otherCores;
                done = Math.max(done, freeOther);
            }
            latencies[i] = done - arrival;
            last = Math.max(last, done);
            if (i == copies - 1) {
                soldOut = done;
            }
        }
        var sorted = latencies.clone();
        Arrays.sort(sorted);
        double span = Math.max(last, 1e-9);
        return new Prediction(arrivals / (span / 1000),
                new double[] {rank(sorted, 50), rank(sorted, 95), rank(sorted, 99), sorted[sorted.length - 1]},
                soldOut, work / ((serviceCores + otherCores) * span));
    }

    /** Nearest rank, as the bench's summary counts. */
    static double rank(double[] ascending, double p) {
        int rank = (int) Math.ceil(p / 100.0 * ascending.length);
        return ascending[Math.clamp(rank - 1, 0, ascending.length - 1)];
    }
}
