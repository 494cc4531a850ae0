package io.couponrush.loadtest.capacity;

import java.time.Instant;

/** Costs with round numbers, so that every expectation can be worked out by hand. */
final class Costs {

    private Costs() {
    }

    /** A gate strategy: grant 0.5 ms service, 0.02 ms Redis, 0.2 ms database; refusal 0.2 ms and 0.01 ms Redis. */
    static StrategyCosts gate() {
        var grant = new PathCost(0.5, 0.02, 0.2, 0, 0.3, 5, 1, 0.3, 0.01, "");
        var refusal = new PathCost(0.2, 0.01, 0, 0, 0.3, 3, 1, 0, 0, "");
        return new StrategyCosts("redis-gate", grant, refusal, PathCost.ZERO, PathCost.ZERO, "Test CPU", 2,
                Instant.parse("2026-12-06T00:00:00Z"), true, true, false);
    }

    /** {@link #gate()} where a person's first press costs its instance {@code firstTouchMs} more, and 0.01 statements. */
    static StrategyCosts gateWithFirstTouch(double firstTouchMs) {
        var gate = gate();
        var touch = new PathCost(firstTouchMs, 0, 0, 0, 0, 0, 0, 0.01, 0, "");
        return new StrategyCosts(gate.strategy(), gate.grant(), gate.refusal(), gate.ping(), touch, gate.cpu(),
                gate.cores(), gate.measured(), true, true, false);
    }

    /** Every tier but one costs nothing: the instance's {@code serviceMs} is the whole request. */
    static StrategyCosts instanceOnly(double serviceMs, boolean gate) {
        var path = new PathCost(serviceMs, 0, 0, 0, 0, gate ? 1 : 0, gate ? 1 : 0, 0, 0, "");
        return new StrategyCosts(gate ? "redis-gate" : "batched", path, path, PathCost.ZERO, PathCost.ZERO,
                "Test CPU", 2, Instant.parse("2026-12-06T00:00:00Z"), gate, gate, false);
    }
}
