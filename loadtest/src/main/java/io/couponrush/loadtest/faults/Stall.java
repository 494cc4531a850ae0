package io.couponrush.loadtest.faults;

import java.util.List;

/**
 * What the fault cost the instances it did not hit: a healthy instance that waits for a frozen
 * peer, a dead Redis or a restarting database must still answer within about a second (I8).
 *
 * @param requests         requests to healthy instances that were in flight during the fault window
 * @param maxLatencyMillis the slowest of them (a client timeout counts as its full timeout)
 * @param timeouts         client timeouts on healthy instances, over the whole run
 */
public record Stall(long requests, long maxLatencyMillis, long timeouts) {

    public static Stall of(List<UserRun> runs, FaultWindow window) {
        var healthy = runs.stream().flatMap(run -> run.attempts().stream())
                .filter(attempt -> !window.hit(attempt.instance())).toList();
        var during = healthy.stream().filter(window::overlaps).toList();
        return new Stall(during.size(),
                during.stream().mapToLong(Attempt::latencyMillis).max().orElse(0),
                healthy.stream().filter(attempt -> attempt.kind() == Attempt.Kind.TIMEOUT
                        || attempt.kind() == Attempt.Kind.CUT_OFF).count());
    }

    public String label() {
        return requests == 0 ? "no requests in the window"
                : "max %,d ms; %,d timeouts".formatted(maxLatencyMillis, timeouts);
    }
}
