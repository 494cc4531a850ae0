package io.couponrush.loadtest.capacity;

/**
 * The machine a plan is made of and how full it may run.
 *
 * @param coresPerInstance cores of one service instance
 * @param headroom         the share of a core the plan lets each tier use at the peak (0.6: 40 % spare for
 *                         what the measurements did not see: GC pauses, noisy neighbours, a slow minute)
 * @param cpuScale         the target's cores against the measured ones (2: twice as fast; every measured CPU
 *                         cost is divided by it)
 */
public record Assumptions(int coresPerInstance, double headroom, double cpuScale) {

    public static final Assumptions DEFAULT = new Assumptions(2, 0.6, 1.0);

    public Assumptions {
        if (coresPerInstance < 1) {
            throw new IllegalArgumentException("--cores-per-instance must be at least 1");
        }
        if (!(headroom > 0 && headroom <= 1)) {
            throw new IllegalArgumentException("--headroom is a share of a core: 0 < h <= 1");
        }
        if (!(cpuScale > 0)) {
            throw new IllegalArgumentException("--cpu-scale must be positive");
        }
    }
}
