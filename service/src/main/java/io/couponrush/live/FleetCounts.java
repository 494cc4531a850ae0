package io.couponrush.live;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.couponrush.infra.IdGenerator;
import io.couponrush.infra.Periodic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * The answers of every instance, for the live view of the whole fleet. Each instance counts its own (two
 * {@code LongAdder}s on the issue path, {@link LiveCounters}); once a second it writes the cumulative counts of
 * every coupon it answered for since its last write into one Redis hash per coupon, a field per instance, all in
 * one pipelined round trip. That is one small write per instance per second, not per request. A feed sums the
 * fields it finds ({@link #read}); an instance that stopped keeps its last counts in the sum (its answers
 * happened) until the hash expires, ten minutes after the last write of any instance.
 */
@Component
class FleetCounts extends Periodic {

    private static final Logger log = LoggerFactory.getLogger(FleetCounts.class);
    private static final Duration KEEP = Duration.ofMinutes(10);

    private final LiveCounters counters;
    private final StringRedisTemplate redis;
    private final IdGenerator.NodeIdSource node;
    private final Clock clock;
    /** What was written last per coupon: the total of its outcome counts (unchanged counts are not written again). */
    private final Map<Long, Long> written = new ConcurrentHashMap<>();

    FleetCounts(LiveCounters counters, StringRedisTemplate redis, IdGenerator.NodeIdSource node, Clock clock, LiveSettings settings) {
        super("live-fleet", settings.interval(), settings.interval(), log);
        this.counters = counters;
        this.redis = redis;
        this.node = node;
        this.clock = clock;
    }

    static String key(long couponId) {
        return "{live:" + couponId + "}:fleet";
    }

    /** One instance's cumulative counts of a coupon, as written. */
    record Counts(long writtenAtMillis, long sinceMillis, CouponCounters.Reading reading) {

        String encode() {
            return writtenAtMillis + ";" + sinceMillis + ";" + join(reading.outcomes()) + ";" + join(reading.latency());
        }

        static Counts decode(String text) {
            var parts = text.split(";");
            return new Counts(Long.parseLong(parts[0]), Long.parseLong(parts[1]),
                    new CouponCounters.Reading(split(parts[2], OutcomeCodes.COUNT), split(parts[3], LatencyBuckets.COUNT)));
        }

        private static String join(long[] values) {
            var text = new StringBuilder(values.length * 3);
            for (int i = 0; i < values.length; i++) {
                text.append(i == 0 ? "" : ",").append(values[i]);
            }
            return text.toString();
        }

        /** A reading written by another version may have fewer or more codes: missing ones count 0. */
        private static long[] split(String text, int length) {
            var values = new long[length];
            var items = text.isEmpty() ? new String[0] : text.split(",");
            for (int i = 0; i < Math.min(length, items.length); i++) {
                values[i] = Long.parseLong(items[i]);
            }
            return values;
        }
    }

    int nodeId() {
        return node.current();
    }

    @Override
    protected void runOnce() {
        var now = clock.millis();
        var changed = new HashMap<Long, Counts>();
        var sums = new HashMap<Long, Long>();
        counters.forEach(counts -> {
            var reading = counts.read();
            long sum = 0;
            for (long n : reading.outcomes()) {
                sum += n;
            }
            var before = written.get(counts.couponId);
            if (before == null || before != sum) {
                changed.put(counts.couponId, new Counts(now, counts.since.toEpochMilli(), reading));
                sums.put(counts.couponId, sum);
            }
        });
        written.keySet().removeIf(id -> !counters.counts(id));
        if (changed.isEmpty()) {
            return;
        }
        var field = Integer.toString(node.current()).getBytes(StandardCharsets.UTF_8);
        redis.executePipelined((RedisCallback<Object>) connection -> {
            changed.forEach((couponId, counts) -> write(connection, couponId, field, counts));
            return null;
        });
        // remembered only once written: counts that a failed write missed are written at the next pass, changed or not
        written.putAll(sums);
    }

    private static void write(RedisConnection connection, long couponId, byte[] field, Counts counts) {
        var key = key(couponId).getBytes(StandardCharsets.UTF_8);
        connection.hashCommands().hSet(key, field, counts.encode().getBytes(StandardCharsets.UTF_8));
        connection.keyCommands().pExpire(key, KEEP.toMillis());
    }

    /** Every instance's last counts of the coupon, by node id. */
    Map<Integer, Counts> read(long couponId) {
        var fields = redis.<String, String>opsForHash().entries(key(couponId));
        var all = new HashMap<Integer, Counts>(fields.size());
        fields.forEach((node, text) -> {
            try {
                all.put(Integer.parseInt(node), Counts.decode(text));
            } catch (RuntimeException e) {
                log.debug("Fleet counts of coupon {} from node {} unreadable: {}", couponId, node, e.toString());
            }
        });
        return all;
    }
}
