package io.couponrush.issuance.strategy;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

import io.couponrush.coupon.CouponTerms;
import io.couponrush.issuance.IssuedCoupon;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Builds a coupon's gates from the database, before it opens and whenever Redis lost them ({@link CouponGate}
 * for what the keys hold): the stock the database has left, and the holders of committed copies.
 */
@Component
final class GateLoader {

    private static final Logger log = LoggerFactory.getLogger(GateLoader.class);

    /** Every coupon that has a gate, for the sweepers. Its own key: it is read by one command, never by a script. */
    static final String GATES = "couponrush:gates";

    /**
     * Creates the gate only if nobody else did first (another thread, another instance). Holders of
     * a lost incarnation are dropped with it (they are reloaded from the database); reservations are
     * kept, and settle without effect on the new incarnation (their epoch is gone).
     * KEYS: gate, holders. ARGV: stock, start, end, epoch, dbzero.
     */
    private static final RedisScript<Long> CREATE = RedisScript.of("""
            if redis.call('HEXISTS', KEYS[1], 'stock') == 1 then return 0 end
            redis.call('DEL', KEYS[1], KEYS[2])
            redis.call('HSET', KEYS[1], 'stock', ARGV[1], 'start', ARGV[2], 'end', ARGV[3], 'epoch', ARGV[4], 'dbzero', ARGV[5])
            return 1
            """, Long.class);

    /** KEYS: gate, holders. ARGV: epoch, then user/value pairs. Writes only into the incarnation that loads them. */
    private static final RedisScript<Long> PUT_HOLDERS = RedisScript.of("""
            if redis.call('HGET', KEYS[1], 'epoch') ~= ARGV[1] then return 0 end
            for i = 2, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
            return 1
            """, Long.class);

    private static final int HOLDER_CHUNK = 1_000;

    private final StringRedisTemplate redis;
    private final JdbcClient jdbc;
    private final GateLayouts layouts;
    private final SubGateStock stock;
    private final Clock clock;
    private final Map<Long, ReentrantLock> loading = new ConcurrentHashMap<>();

    GateLoader(StringRedisTemplate redis, JdbcClient jdbc, GateLayouts layouts, SubGateStock stock, Clock clock) {
        this.redis = redis;
        this.jdbc = jdbc;
        this.layouts = layouts;
        this.stock = stock;
        this.clock = clock;
    }

    /** Builds the gate unless Redis has it (every sub-gate of it). */
    void ensureLoaded(CouponTerms coupon) {
        var layout = layouts.of(coupon);
        for (int i = 0; i < layout.size(); i++) {
            if (!Boolean.TRUE.equals(redis.opsForHash().hasKey(layout.gate(i), "stock"))) {
                load(coupon);
                return;
            }
        }
    }

    /**
     * Builds the gates Redis does not have from the database: holders are the current holders, and stock
     * what the database has left, less what the gates still there hold (stock and reservations), split
     * evenly among the ones built. One loader per coupon in this instance; across instances the CREATE
     * script lets only the first win. The lock is fair: requests that met a missing gate go on in the
     * order they came.
     */
    void load(CouponTerms coupon) {
        var layout = layouts.of(coupon);
        var lock = loading.computeIfAbsent(coupon.id(), id -> new ReentrantLock(true));
        lock.lock();
        try {
            var missing = new ArrayList<Integer>();
            long inGates = 0;
            long now = clock.millis();
            for (int i = 0; i < layout.size(); i++) {
                var held = stock.held(layout, i, now);
                if (!held.present()) {
                    missing.add(i);
                } else {
                    // transfers under way count as held; cut-off ones are lost, and taken from their owners so
                    // that none lands after the rebuild counted its copies
                    for (var transfer : held.cutOff()) {
                        stock.land(layout, i, transfer);
                    }
                    inGates += held.copies();
                }
            }
            if (missing.isEmpty()) {
                return; // another thread rebuilt it while we waited
            }
            int remaining = jdbc.sql("SELECT remaining FROM coupons WHERE id = ?").param(coupon.id())
                    .query(Integer.class).single();
            long toShare = missing.size() == layout.size() ? remaining : Math.max(0, remaining - inGates);
            redis.opsForSet().add(GATES, Long.toString(coupon.id()));
            var epochs = new HashMap<Integer, Long>();
            for (int n = 0; n < missing.size(); n++) {
                int at = missing.get(n);
                long share = toShare / missing.size() + (n < toShare % missing.size() ? 1 : 0);
                long epoch = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE); // exact as a Lua number
                Long created = redis.execute(CREATE, List.of(layout.gate(at), layout.holders(at)),
                        Long.toString(share), Long.toString(coupon.startsAt().toEpochMilli()),
                        Long.toString(coupon.endsAt().toEpochMilli()), Long.toString(epoch), remaining == 0 ? "1" : "0");
                if (Long.valueOf(1).equals(created)) {
                    epochs.put(at, epoch);
                    log.info("Built the Redis gate {}/{} of coupon {} from the database: stock {}, epoch {}", at + 1,
                            layout.size(), coupon.id(), share, epoch);
                }
            }
            if (!epochs.isEmpty()) {
                loadHolders(coupon, layout, epochs);
            }
        } finally {
            lock.unlock();
            // Nobody waiting: the lock goes, so a lock per coupon ever loaded does not pile up. A thread
            // that found it just before takes it alone, and one after makes a new one; two loaders at
            // once cost a duplicate read, never a second gate (the CREATE script lets only the first in).
            if (!lock.hasQueuedThreads()) {
                loading.remove(coupon.id(), lock);
            }
        }
    }

    /**
     * Holders go in after their gate exists; a holder admitted in between is turned away by the database
     * (its copy goes back), so the order costs nothing but a round trip.
     */
    private void loadHolders(CouponTerms coupon, GateLayout layout, Map<Integer, Long> epochs) {
        var chunks = new HashMap<Integer, List<String>>();
        jdbc.sql("""
                SELECT uc.user_id, h.copies, uc.id, uc.issued_at, uc.idempotency_key
                FROM user_coupons uc
                JOIN (SELECT MAX(id) AS latest, COUNT(*) AS copies FROM user_coupons
                      WHERE coupon_id = ? GROUP BY user_id) h ON uc.id = h.latest
                """)
                .param(coupon.id())
                .query(rs -> {
                    long user = rs.getLong(1);
                    int at = layout.of(user);
                    if (!epochs.containsKey(at)) {
                        return;
                    }
                    var row = new IssuedCoupon(rs.getLong(3), coupon.id(), user,
                            rs.getObject(4, java.time.LocalDateTime.class).toInstant(java.time.ZoneOffset.UTC));
                    var chunk = chunks.computeIfAbsent(at, i -> new ArrayList<>(HOLDER_CHUNK * 2));
                    chunk.add(Long.toString(user));
                    chunk.add(rs.getInt(2) + "|" + GateRecords.grantValue(row, rs.getString(5)));
                    if (chunk.size() == HOLDER_CHUNK * 2) {
                        putHolders(layout, at, epochs.get(at), chunk);
                    }
                });
        chunks.forEach((at, chunk) -> putHolders(layout, at, epochs.get(at), chunk));
    }

    private void putHolders(GateLayout layout, int at, long epoch, List<String> chunk) {
        if (!chunk.isEmpty()) {
            var args = new ArrayList<String>(chunk.size() + 1);
            args.add(Long.toString(epoch));
            args.addAll(chunk);
            redis.execute(PUT_HOLDERS, List.of(layout.gate(at), layout.holders(at)), args.toArray());
            chunk.clear();
        }
    }
}
