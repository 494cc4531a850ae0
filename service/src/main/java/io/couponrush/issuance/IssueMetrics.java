package io.couponrush.issuance;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.couponrush.coupon.Strategy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

/** Outcomes by strategy and code, latency by strategy, and retries for the strategies that retry. */
@Component
public class IssueMetrics {

    /**
     * Told of every settled request with its coupon (the live feed counts with it). Runs on the issue
     * path: an implementation must not block and should not allocate.
     */
    public interface CouponListener {

        void settled(long couponId, IssueOutcome outcome, long nanos);
    }

    private final MeterRegistry registry;
    private final CouponListener[] listeners; // an array: no iterator per request
    private final Map<String, Counter>[] outcomes; // by strategy ordinal, then code: one lookup per request
    private final Timer[] latency;

    @SuppressWarnings("unchecked")
    IssueMetrics(MeterRegistry registry, List<CouponListener> listeners) {
        this.registry = registry;
        this.listeners = listeners.toArray(CouponListener[]::new);
        var strategies = Strategy.values();
        this.outcomes = new Map[strategies.length];
        this.latency = new Timer[strategies.length];
        for (var strategy : strategies) {
            outcomes[strategy.ordinal()] = new ConcurrentHashMap<>();
        }
    }

    void record(long couponId, Strategy strategy, IssueOutcome outcome, long nanos) {
        for (var listener : listeners) {
            listener.settled(couponId, outcome, nanos);
        }
        // Registering through the builder on every request sorted and compared tags each time (a few
        // percent of the issue path's CPU); the meters are resolved once per strategy and code instead.
        outcomes[strategy.ordinal()].computeIfAbsent(outcome.code(), code -> Counter.builder("couponrush.issue.outcomes")
                        .description("Issue requests by strategy and outcome code")
                        .tag("strategy", strategy.id())
                        .tag("code", code)
                        .register(registry))
                .increment();
        var timer = latency[strategy.ordinal()];
        if (timer == null) {
            // a race here registers twice, and the registry hands both the same meter
            timer = Timer.builder("couponrush.issue.latency")
                    .description("Time to settle one issue request")
                    .tag("strategy", strategy.id())
                    .register(registry);
            latency[strategy.ordinal()] = timer;
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A redis-gate request settled in the database because Redis could not be reached. */
    public void gateBypass() {
        Counter.builder("couponrush.issue.gate.bypass")
                .description("redis-gate requests settled without the gate because Redis was unreachable")
                .register(registry)
                .increment();
    }

    /** One more attempt after a conflict (optimistic version clash, busy lock). */
    public void retry(Strategy strategy) {
        Counter.builder("couponrush.issue.retries")
                .description("Retries after a conflict, by strategy")
                .tag("strategy", strategy.id())
                .register(registry)
                .increment();
    }
}
