package io.couponrush.live;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.couponrush.audit.CouponAudit;
import io.couponrush.coupon.CouponService;
import io.couponrush.coupon.CouponTerms;
import io.couponrush.coupon.Strategy;
import io.couponrush.infra.Periodic;
import io.couponrush.issuance.strategy.CouponGate;
import io.couponrush.web.ApiException;
import io.couponrush.web.ErrorCode;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The live feeds: one {@link Feed} per watched coupon, sampled once per interval for all of its
 * watchers (many watchers cost one database read, not one each), and sent to each of them. A feed
 * exists while someone watches; a watcher leaves when its stream completes, times out, or a send to
 * it fails (the client went away), and the number of watchers on this instance is bounded.
 */
@Component
class LiveFeeds extends Periodic {

    private static final Logger log = LoggerFactory.getLogger(LiveFeeds.class);
    static final String BATCH_SIZE_METER = "couponrush.issue.batch.size";

    private final LiveCounters counters;
    private final FleetCounts fleetCounts;
    private final CouponService coupons;
    private final CouponAudit audit;
    private final CouponGate gate;
    private final MeterRegistry meters;
    private final JsonMapper json;
    private final LiveSettings settings;
    private final Clock clock;
    private final Map<Long, Feed> feeds = new ConcurrentHashMap<>();
    private final AtomicInteger watchers = new AtomicInteger();
    private final long evictEvery;
    private long passes; // the scheduler's thread only

    LiveFeeds(LiveCounters counters, FleetCounts fleetCounts, CouponService coupons, CouponAudit audit, CouponGate gate,
            MeterRegistry meters, JsonMapper json, LiveSettings settings, Clock clock) {
        super("live-feeds", settings.interval(), settings.interval(), log);
        this.counters = counters;
        this.fleetCounts = fleetCounts;
        this.coupons = coupons;
        this.audit = audit;
        this.gate = gate;
        this.meters = meters;
        this.json = json;
        this.settings = settings;
        this.clock = clock;
        this.evictEvery = Math.max(1, settings.idleAfter().toMillis() / settings.interval().toMillis());
    }

    /** A new watcher of the coupon; 404 for an unknown coupon, 503 past {@code max-watchers}. */
    SseEmitter watch(long couponId) {
        var terms = coupons.terms(couponId).orElseThrow(() -> CouponService.notFound(couponId));
        if (!reserveWatcher()) {
            throw new ApiException(ErrorCode.OVERLOADED, "Too many live streams are open on this instance (at most "
                    + settings.maxWatchers() + "); close one or try again later");
        }
        var emitter = new SseEmitter(settings.maxStream().toMillis());
        var watcher = new Watcher(couponId, emitter);
        try {
            emitter.onCompletion(watcher::leave);
            emitter.onTimeout(() -> {
                watcher.leave();
                emitter.complete();
            });
            emitter.onError(e -> watcher.leave());
            // sent as soon as the handler returns: the client sees the stream open before the first sample
            emitter.send(SseEmitter.event().comment("live feed of coupon " + couponId)
                    .reconnectTime(settings.interval().toMillis()));
            var feed = feeds.compute(couponId, (id, existing) -> {
                var joined = existing != null ? existing : new Feed(terms, counters.watched(id));
                joined.watchers.add(watcher);
                return joined;
            });
            var latest = feed.latest;
            if (latest != null) { // a later watcher sees the current state at once, not after the next sample
                watcher.send(latest);
            }
            return emitter;
        } catch (IOException | RuntimeException e) {
            watcher.leave();
            throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
        }
    }

    private boolean reserveWatcher() {
        while (true) {
            int now = watchers.get();
            if (now >= settings.maxWatchers()) {
                return false;
            }
            if (watchers.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** Open streams on this instance. */
    int watchers() {
        return watchers.get();
    }

    /** Coupons with at least one watcher on this instance. */
    int feeds() {
        return feeds.size();
    }

    @Override
    protected void runOnce() {
        for (var feed : feeds.values()) {
            feed.sampleInBackground();
        }
        if (++passes % evictEvery == 0) {
            counters.evictIdle(feeds::containsKey);
        }
    }

    @Override
    protected void afterStop() {
        for (var feed : feeds.values()) {
            for (var watcher : feed.watchers) {
                watcher.emitter.complete();
            }
        }
    }

    /** A sent event: the frame's number and its JSON, serialized once for all watchers. */
    private record Sent(long sequence, String data) {
    }

    private final class Watcher {

        final long couponId;
        final SseEmitter emitter;
        private final AtomicBoolean left = new AtomicBoolean();
        private final AtomicBoolean sending = new AtomicBoolean();

        Watcher(long couponId, SseEmitter emitter) {
            this.couponId = couponId;
            this.emitter = emitter;
        }

        /**
         * Sends on a thread of its own, so a client that stopped reading holds back only itself; while
         * an earlier event is still being written to it, it skips this one.
         */
        void send(Sent event) {
            if (left.get() || !sending.compareAndSet(false, true)) {
                return;
            }
            Thread.ofVirtual().name("live-send-" + couponId).start(() -> {
                try {
                    emitter.send(SseEmitter.event().id(Long.toString(event.sequence())).name("live").data(event.data()));
                } catch (IOException | IllegalStateException gone) {
                    // the client went away (the container completes the stream and calls back), or the
                    // stream was already completed: either way this watcher is done
                    leave();
                } finally {
                    sending.set(false);
                }
            });
        }

        void leave() {
            if (!left.compareAndSet(false, true)) {
                return;
            }
            watchers.decrementAndGet();
            feeds.computeIfPresent(couponId, (id, feed) -> {
                feed.watchers.remove(this);
                return feed.watchers.isEmpty() ? null : feed;
            });
        }
    }

    /** One coupon's sampler and its watchers. */
    private final class Feed {

        final CouponTerms terms;
        final List<Watcher> watchers = new CopyOnWriteArrayList<>();
        private final AtomicBoolean sampling = new AtomicBoolean();
        private final long[][] latencyRing = new long[settings.latencyWindow()][];
        volatile Sent latest;
        // the fields below belong to the sampling thread (one at a time, guarded by `sampling`)
        private CouponCounters counts;
        private long sequence;
        private long previousNanos = System.nanoTime();
        private CouponCounters.Reading previous;
        private Integer remaining;
        private LiveEvent.Audit lastAudit;
        private double batchCount = Double.NaN;
        private double batchTotal;
        private Map<Integer, CouponCounters.Reading> previousFleet = Map.of();
        private final long[][] fleetLatencyRing = new long[settings.latencyWindow()][];

        Feed(CouponTerms terms, CouponCounters counts) {
            this.terms = terms;
            this.counts = counts;
            this.previous = counts.read();
        }

        /** The database and Redis reads run off the scheduler's thread; a sample still running skips this one. */
        void sampleInBackground() {
            if (!sampling.compareAndSet(false, true)) {
                return;
            }
            Thread.ofVirtual().name("live-sample-" + terms.id()).start(() -> {
                try {
                    var event = sample();
                    var sent = new Sent(event.sequence(), json.writeValueAsString(event));
                    latest = sent;
                    for (var watcher : watchers) {
                        watcher.send(sent);
                    }
                } catch (RuntimeException e) {
                    log.warn("Live feed of coupon {} could not be sampled: {}", terms.id(), e.toString());
                } finally {
                    sampling.set(false);
                }
            });
        }

        private LiveEvent sample() {
            long now = System.nanoTime();
            double seconds = Math.max(1e-3, (now - previousNanos) / 1e9);
            previousNanos = now;
            var current = counters.watched(terms.id());
            if (current != counts) {
                // dropped by an eviction pass that ran while this feed was being set up: count afresh
                counts = current;
                previous = CouponCounters.Reading.ZERO;
            }
            var reading = counts.read();
            var outcomes = CouponCounters.Reading.minus(reading.outcomes(), previous.outcomes());
            latencyRing[(int) (sequence % latencyRing.length)] =
                    CouponCounters.Reading.minus(reading.latency(), previous.latency());
            previous = reading;
            sequence++;

            var warnings = new ArrayList<String>(0);
            var perSecond = new LinkedHashMap<String, Double>();
            var totals = new LinkedHashMap<String, Long>();
            for (int i = 0; i < OutcomeCodes.COUNT; i++) {
                if (reading.outcomes()[i] > 0 || i == 0) {
                    perSecond.put(OutcomeCodes.ALL.get(i), Math.round(outcomes[i] / seconds * 10) / 10.0);
                    totals.put(OutcomeCodes.ALL.get(i), reading.outcomes()[i]);
                }
            }
            try {
                remaining = coupons.get(terms.id()).remaining();
            } catch (RuntimeException e) {
                warnings.add(remaining == null ? "The database did not answer: remaining stock is not known yet"
                        : "The database did not answer: remaining stock is the last known value");
                log.debug("Live feed of coupon {}: remaining not read: {}", terms.id(), e.toString());
            }
            if (sequence == 1 || sequence % settings.auditEvery() == 0) {
                audit(warnings);
            }
            var fleet = fleet(reading, seconds, warnings);
            return new LiveEvent(terms.id(), sequence, clock.instant(), terms.strategy().id(), terms.totalQuantity(),
                    remaining, "database", counts.since, perSecond, totals, latency(), fleet, batch(seconds), gate(warnings),
                    lastAudit, watchers.size(), warnings.isEmpty() ? null : warnings);
        }

        /**
         * Every instance's counts summed. Rates come from each instance's change since the previous event (an
         * instance whose counts went down started again: its counts are all new); this instance's own counts are
         * the ones just read, the others' are at most a second old.
         */
        private LiveEvent.Fleet fleet(CouponCounters.Reading own, double seconds, List<String> warnings) {
            var all = new java.util.HashMap<Integer, CouponCounters.Reading>();
            try {
                fleetCounts.read(terms.id()).forEach((node, counts) -> all.put(node, counts.reading()));
            } catch (RuntimeException e) {
                warnings.add("Redis did not answer: the fleet's numbers are this instance's alone");
            }
            all.put(fleetCounts.nodeId(), own);
            var totals = new long[OutcomeCodes.COUNT];
            var delta = new long[OutcomeCodes.COUNT];
            var latencyDelta = new long[LatencyBuckets.COUNT];
            all.forEach((node, reading) -> {
                var before = previousFleet.getOrDefault(node, CouponCounters.Reading.ZERO);
                boolean restarted = false;
                for (int i = 0; i < OutcomeCodes.COUNT; i++) {
                    restarted |= reading.outcomes()[i] < before.outcomes()[i];
                }
                var base = restarted ? CouponCounters.Reading.ZERO : before;
                for (int i = 0; i < OutcomeCodes.COUNT; i++) {
                    totals[i] += reading.outcomes()[i];
                    delta[i] += reading.outcomes()[i] - base.outcomes()[i];
                }
                for (int i = 0; i < LatencyBuckets.COUNT; i++) {
                    latencyDelta[i] += Math.max(0, reading.latency()[i] - base.latency()[i]);
                }
            });
            boolean first = previousFleet.isEmpty();
            previousFleet = all;
            fleetLatencyRing[(int) (sequence % fleetLatencyRing.length)] = first ? null : latencyDelta;
            var perSecond = new LinkedHashMap<String, Double>();
            var sums = new LinkedHashMap<String, Long>();
            for (int i = 0; i < OutcomeCodes.COUNT; i++) {
                if (totals[i] > 0 || i == 0) {
                    perSecond.put(OutcomeCodes.ALL.get(i), first ? 0.0 : Math.round(delta[i] / seconds * 10) / 10.0);
                    sums.put(OutcomeCodes.ALL.get(i), totals[i]);
                }
            }
            return new LiveEvent.Fleet(all.size(), perSecond, sums, latencyOf(fleetLatencyRing));
        }

        private void audit(List<String> warnings) {
            try {
                audit.audit(terms.id()).ifPresent(report -> lastAudit = new LiveEvent.Audit(report.consistent(),
                        report.issuedRows(), report.remaining(), report.gate() == null ? null : report.gate().inSync(),
                        clock.instant()));
            } catch (RuntimeException e) {
                warnings.add("The audit could not run: the database did not answer; the badge shows the last audit");
                log.debug("Live feed of coupon {}: audit failed: {}", terms.id(), e.toString());
            }
        }

        private LiveEvent.Latency latency() {
            return latencyOf(latencyRing);
        }

        private LiveEvent.Latency latencyOf(long[][] ring) {
            var window = new long[LatencyBuckets.COUNT];
            int filled = 0;
            for (var delta : ring) {
                if (delta != null) {
                    filled++;
                    for (int i = 0; i < window.length; i++) {
                        window[i] += delta[i];
                    }
                }
            }
            long samples = 0;
            for (long count : window) {
                samples += count;
            }
            double windowSeconds = filled * settings.interval().toMillis() / 1000.0;
            if (samples == 0) {
                return new LiveEvent.Latency(windowSeconds, 0, null, null);
            }
            return new LiveEvent.Latency(windowSeconds, samples, millis(LatencyBuckets.percentile(window, 0.5)),
                    millis(LatencyBuckets.percentile(window, 0.99)));
        }

        private static Double millis(double nanos) {
            return Math.round(nanos / 10_000.0) / 100.0;
        }

        private LiveEvent.Batch batch(double seconds) {
            if (terms.strategy() != Strategy.BATCHED && terms.strategy() != Strategy.REDIS_GATE) {
                return null;
            }
            DistributionSummary summary = meters.find(BATCH_SIZE_METER).summary();
            if (summary == null) {
                return new LiveEvent.Batch("instance", 0, null);
            }
            double count = summary.count();
            double total = summary.totalAmount();
            boolean first = Double.isNaN(batchCount);
            double batches = first ? 0 : count - batchCount;
            double size = first ? 0 : total - batchTotal;
            batchCount = count;
            batchTotal = total;
            return new LiveEvent.Batch("instance", Math.round(batches / seconds * 10) / 10.0,
                    batches > 0 ? Math.round(size / batches * 10) / 10.0 : null);
        }

        private LiveEvent.Gate gate(List<String> warnings) {
            if (terms.strategy() != Strategy.REDIS_GATE) {
                return null;
            }
            Boolean inSync = lastAudit == null ? null : lastAudit.gateInSync();
            try {
                var state = gate.inspect(terms.id());
                return state.loaded() ? new LiveEvent.Gate(state.stock(), state.pending(), inSync)
                        : new LiveEvent.Gate(null, state.pending(), inSync);
            } catch (RuntimeException e) {
                warnings.add("Redis did not answer: the gate's stock is not known");
                return new LiveEvent.Gate(null, null, inSync);
            }
        }
    }
}
