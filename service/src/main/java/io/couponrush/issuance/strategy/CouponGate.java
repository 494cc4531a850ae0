package io.couponrush.issuance.strategy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

import io.couponrush.coupon.CouponTerms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The admission gate of the {@code redis-gate} strategy: one Redis hash per coupon holding the
 * stock left to admit, the window, the users admitted (with their copy counts) and an epoch
 * that names this incarnation of the hash. One Lua script decides a request atomically.
 *
 * <p>The database stays the source of truth. The hash is built from it on first use and rebuilt
 * whenever Redis lost it (restart, flush, eviction: the script reports a missing hash, nothing is
 * assumed). A rebuilt gate may admit more than the stock left (requests in flight when it was
 * read commit afterwards); the database's conditional write turns the extra ones away, so a wrong
 * gate costs speed, never an oversell. Give-backs carry the epoch they were admitted under, so a
 * reservation from before a rebuild can never inflate the rebuilt stock.
 *
 * <p>Keys are hash-tagged ({@code {coupon:42}:gate}) so that on Redis Cluster everything a script
 * touches for one coupon lives in one slot.
 */
@Component
public class CouponGate {

    private static final Logger log = LoggerFactory.getLogger(CouponGate.class);

    /** Result codes of the admit script. */
    enum Verdict { NOT_LOADED, SOLD_OUT, ADMITTED, ALREADY_ISSUED, NOT_OPEN, CLOSED }

    record Admission(Verdict verdict, long epoch) {
    }

    private static final RedisScript<List> ADMIT = RedisScript.of("""
            local gate = KEYS[1]
            local f = redis.call('HMGET', gate, 'stock', 'start', 'end', 'epoch')
            if not f[1] then return {0, 0} end
            local now = tonumber(ARGV[3])
            if now < tonumber(f[2]) then return {4, 0} end
            if now >= tonumber(f[3]) then return {5, 0} end
            local limit = tonumber(ARGV[2])
            local user = 'u:' .. ARGV[1]
            -- a holder hears "already issued" even after the sell-out: the truthful answer
            if limit > 0 and tonumber(redis.call('HGET', gate, user) or '0') >= limit then return {3, 0} end
            if tonumber(f[1]) <= 0 then return {1, 0} end
            if limit > 0 then redis.call('HINCRBY', gate, user, 1) end
            redis.call('HINCRBY', gate, 'stock', -1)
            return {2, tonumber(f[4])}
            """, List.class);

    /** ARGV: user, release the user's count too (1/0), epoch. Does nothing if the gate was rebuilt since. */
    private static final RedisScript<Long> GIVE_BACK = RedisScript.of("""
            if redis.call('HGET', KEYS[1], 'epoch') ~= ARGV[3] then return 0 end
            redis.call('HINCRBY', KEYS[1], 'stock', 1)
            if ARGV[2] == '1' then
                local user = 'u:' .. ARGV[1]
                if redis.call('HINCRBY', KEYS[1], user, -1) <= 0 then redis.call('HDEL', KEYS[1], user) end
            end
            return 1
            """, Long.class);

    /** ARGV: epoch, user, release the user (1/0). The admitted user got nothing, so it holds nothing more. */
    private static final RedisScript<Long> MARK_SOLD_OUT = RedisScript.of("""
            if redis.call('HGET', KEYS[1], 'epoch') ~= ARGV[1] then return 0 end
            redis.call('HSET', KEYS[1], 'stock', 0)
            if ARGV[3] == '1' then
                local user = 'u:' .. ARGV[2]
                if redis.call('HINCRBY', KEYS[1], user, -1) <= 0 then redis.call('HDEL', KEYS[1], user) end
            end
            return 1
            """, Long.class);

    /**
     * Creates the gate only if nobody else did first (another thread, another instance). A hash
     * without {@code stock} is debris of a lost gate (holders written after it vanished): replace it.
     */
    private static final RedisScript<Long> CREATE = RedisScript.of("""
            if redis.call('HEXISTS', KEYS[1], 'stock') == 1 then return 0 end
            redis.call('DEL', KEYS[1])
            redis.call('HSET', KEYS[1], 'stock', ARGV[1], 'start', ARGV[2], 'end', ARGV[3], 'epoch', ARGV[4])
            return 1
            """, Long.class);

    /** ARGV: epoch, then field/value pairs. Writes holders only into the gate incarnation that loads them. */
    private static final RedisScript<Long> PUT_HOLDERS = RedisScript.of("""
            if redis.call('HGET', KEYS[1], 'epoch') ~= ARGV[1] then return 0 end
            for i = 2, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
            return 1
            """, Long.class);

    /** Drops a gate that admits nothing more, so the next request rebuilds it from the database. */
    private static final RedisScript<Long> DROP_IF_EMPTY = RedisScript.of("""
            local stock = redis.call('HGET', KEYS[1], 'stock')
            if stock and tonumber(stock) <= 0 then
                redis.call('DEL', KEYS[1])
                return 1
            end
            return 0
            """, Long.class);

    private static final int GATE_FIELDS = 4;
    private static final int HOLDER_CHUNK = 1_000;

    private final StringRedisTemplate redis;
    private final JdbcClient jdbc;
    private final Map<Long, ReentrantLock> loading = new ConcurrentHashMap<>();

    CouponGate(StringRedisTemplate redis, JdbcClient jdbc) {
        this.redis = redis;
        this.jdbc = jdbc;
    }

    static String key(long couponId) {
        return "{coupon:" + couponId + "}:gate";
    }

    /** Decides one request; builds the gate from the database first if Redis does not have it. */
    Admission admit(CouponTerms coupon, long userId, Instant now) {
        var admission = tryAdmit(coupon, userId, now);
        if (admission.verdict() != Verdict.NOT_LOADED) {
            return admission;
        }
        load(coupon);
        return tryAdmit(coupon, userId, now);
    }

    private Admission tryAdmit(CouponTerms coupon, long userId, Instant now) {
        List<?> result = redis.execute(ADMIT, List.of(key(coupon.id())),
                Long.toString(userId), Integer.toString(coupon.perUserLimit()), Long.toString(now.toEpochMilli()));
        return new Admission(Verdict.values()[((Number) result.get(0)).intValue()], ((Number) result.get(1)).longValue());
    }

    /** Returns an admitted reservation: stock, and the user's count unless the user does hold a copy. */
    void giveBack(CouponTerms coupon, long userId, long epoch, boolean releaseUser) {
        redis.execute(GIVE_BACK, List.of(key(coupon.id())), Long.toString(userId), releaseUser ? "1" : "0",
                Long.toString(epoch));
    }

    /** The database says no stock is left for this admitted user: stop admitting, and the user holds nothing new. */
    void markSoldOut(CouponTerms coupon, long userId, long epoch) {
        redis.execute(MARK_SOLD_OUT, List.of(key(coupon.id())), Long.toString(epoch), Long.toString(userId),
                coupon.unlimitedPerUser() ? "0" : "1");
    }

    /**
     * The gate says sold out but the database has had stock left, unchanged, for a while: reservations
     * leaked (an instance died between admission and commit, a give-back could not reach Redis). Drop
     * the gate so the next request rebuilds it from the database.
     */
    void repairIfLeaking(CouponTerms coupon, int databaseRemaining) {
        if (databaseRemaining > 0
                && Long.valueOf(1).equals(redis.execute(DROP_IF_EMPTY, List.of(key(coupon.id()))))) {
            log.info("Redis gate of coupon {} was sold out with {} left in the database; rebuilding it",
                    coupon.id(), databaseRemaining);
        }
    }

    /**
     * Builds the gate from the database: stock = remaining, users = current holders. One loader
     * per coupon in this instance; across instances the CREATE script lets only the first win.
     */
    void load(CouponTerms coupon) {
        var lock = loading.computeIfAbsent(coupon.id(), id -> new ReentrantLock());
        lock.lock();
        try {
            if (redis.opsForHash().hasKey(key(coupon.id()), "stock")) {
                return; // another thread rebuilt it while we waited
            }
            int remaining = jdbc.sql("SELECT remaining FROM coupons WHERE id = ?").param(coupon.id())
                    .query(Integer.class).single();
            long epoch = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE); // exact as a Lua number
            Long created = redis.execute(CREATE, List.of(key(coupon.id())), Integer.toString(remaining),
                    Long.toString(coupon.startsAt().toEpochMilli()), Long.toString(coupon.endsAt().toEpochMilli()),
                    Long.toString(epoch));
            if (!Long.valueOf(1).equals(created) || coupon.unlimitedPerUser()) {
                return;
            }
            // Holders go in after the gate exists; a duplicate admitted in between is turned away
            // by the database (and its stock given back), so the order costs nothing but a round trip.
            var chunk = new ArrayList<Map.Entry<String, String>>(HOLDER_CHUNK);
            jdbc.sql("SELECT user_id, COUNT(*) FROM user_coupons WHERE coupon_id = ? GROUP BY user_id")
                    .param(coupon.id())
                    .query(rs -> {
                        chunk.add(Map.entry("u:" + rs.getLong(1), Integer.toString(rs.getInt(2))));
                        if (chunk.size() == HOLDER_CHUNK) {
                            putHolders(coupon.id(), epoch, chunk);
                        }
                    });
            putHolders(coupon.id(), epoch, chunk);
            log.info("Built the Redis gate of coupon {} from the database: stock {}, epoch {}", coupon.id(), remaining, epoch);
        } finally {
            lock.unlock();
        }
    }

    private void putHolders(long couponId, long epoch, List<Map.Entry<String, String>> chunk) {
        if (!chunk.isEmpty()) {
            var args = new ArrayList<String>(chunk.size() * 2 + 1);
            args.add(Long.toString(epoch));
            chunk.forEach(e -> {
                args.add(e.getKey());
                args.add(e.getValue());
            });
            redis.execute(PUT_HOLDERS, List.of(key(couponId)), args.toArray());
            chunk.clear();
        }
    }

    /**
     * What the gate holds now, for the audit's reconciliation.
     *
     * @param loaded  whether Redis has the gate at all (it is built on first use)
     * @param stock   stock left to admit
     * @param holders users recorded as holding (0 for coupons without a per-user limit)
     */
    public record GateState(boolean loaded, long stock, long holders) {
    }

    public GateState inspect(long couponId) {
        var stock = redis.opsForHash().get(key(couponId), "stock");
        if (stock == null) {
            return new GateState(false, 0, 0);
        }
        long size = redis.opsForHash().size(key(couponId));
        return new GateState(true, Long.parseLong(stock.toString()), Math.max(0, size - GATE_FIELDS));
    }
}
