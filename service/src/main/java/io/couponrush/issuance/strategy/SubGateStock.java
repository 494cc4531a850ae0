package io.couponrush.issuance.strategy;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import io.couponrush.coupon.CouponTerms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * The stock of a coupon split into sub-gates ({@link GateLayout}), as it moves between them: a sub-gate with
 * nothing left borrows from the richest, transfers go through a transit record, and a sweeper puts back what
 * the sub-gates lost track of. None of it decides a grant: the database does (docs/strategies.md, sub-gates).
 */
@Component
final class SubGateStock {

    private static final Logger log = LoggerFactory.getLogger(SubGateStock.class);

    /** How long a borrowing may spend looking for the richest sub-gate before it takes the richest seen. */
    private static final long BORROW_LOOK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** A transfer not landed after this long was cut off (its instance died or froze): its copies are lost. */
    static final Duration TRANSIT_LIFE = Duration.ofSeconds(5);

    /**
     * The first step of a transfer between sub-gates: half of what the giver has (at least one copy) leaves its
     * stock for a transit record {@code t:<id>} = "copies,taken at" in its gate, which counts as held until the
     * transfer lands ({@link #LAND}) or a sweeper finds it too old and puts the copies back. KEYS: the giving
     * gate. ARGV: transfer id, now (millis). Answers the copies taken (0: none to give, or the database is at
     * zero, when there is nothing to move).
     */
    private static final RedisScript<Long> TAKE = RedisScript.of("""
            local f = redis.call('HMGET', KEYS[1], 'stock', 'dbzero')
            if not f[1] or f[2] == '1' then return 0 end
            local stock = tonumber(f[1])
            if stock <= 0 then return 0 end
            local n = math.ceil(stock / 2)
            redis.call('HINCRBY', KEYS[1], 'stock', -n)
            redis.call('HSET', KEYS[1], 't:' .. ARGV[1], n .. ',' .. ARGV[2])
            return n
            """, Long.class);

    /**
     * The second step: the transit record goes, once. KEYS: the giving gate. ARGV: transfer id. Answers 1 if
     * this transfer may now give its copies to the receiver, 0 if a sweeper already took them back as lost.
     */
    private static final RedisScript<Long> LAND = RedisScript.of("""
            return redis.call('HDEL', KEYS[1], 't:' .. ARGV[1])
            """, Long.class);

    /**
     * The second half of a transfer, and a sweeper's top-up. KEYS: the receiving gate. ARGV: copies.
     * Answers 1 if the gate took them, 0 if it is not there (lost with its shard), -1 if the database is at zero.
     */
    private static final RedisScript<Long> GIVE = RedisScript.of("""
            local f = redis.call('HMGET', KEYS[1], 'stock', 'dbzero')
            if not f[1] then return 0 end
            if f[2] == '1' then return -1 end
            redis.call('HINCRBY', KEYS[1], 'stock', tonumber(ARGV[1]))
            return 1
            """, Long.class);

    private final StringRedisTemplate redis;
    private final GateLayouts layouts;
    private final Clock clock;
    /** One borrowing per sub-gate in this instance: its other requests wait for it instead of draining the rest. */
    private final Map<Long, CompletableFuture<Long>> borrowing = new ConcurrentHashMap<>();
    /** The last shortfall a sweeper saw per coupon: a top-up needs the same one twice, a sweep apart. */
    private final Map<Long, Shortfall> shortfalls = new ConcurrentHashMap<>();

    SubGateStock(StringRedisTemplate redis, GateLayouts layouts, Clock clock) {
        this.redis = redis;
        this.layouts = layouts;
        this.clock = clock;
    }

    /**
     * Sub-gate {@code to} has no stock: the richest of the others gives it half of its own. One borrowing per
     * sub-gate at a time in this instance; the requests that meet it wait for it and share what it brought.
     * A transfer is three scripts on two shards (take into transit, land, give): an instance that dies or
     * freezes in between takes the copies in transit with it, which costs no correctness (the gate never
     * refuses on its stock alone: a sub-gate without stock sends its people to the database while it has not
     * said zero), and a sweeper's top-up ({@link #reconcile}) puts them back. A shard that cannot be reached
     * is passed over; a borrowing that fails borrows nothing, and the database decides.
     *
     * @return copies borrowed (by this call or the one it waited for)
     */
    long borrow(GateLayout layout, int to) {
        var mine = new CompletableFuture<Long>();
        var running = borrowing.putIfAbsent(layout.line(to), mine);
        if (running != null) {
            return running.join();
        }
        long moved = 0;
        try {
            moved = transfer(layout, to);
            return moved;
        } catch (DataAccessException e) {
            log.debug("Borrowing for sub-gate {} of coupon {} failed: {}", to, layout.couponId(), e.getMessage());
            return 0;
        } finally {
            borrowing.remove(layout.line(to), mine);
            mine.complete(moved);
        }
    }

    private long transfer(GateLayout layout, int to) {
        int richest = -1;
        long most = 0;
        long lookUntil = System.nanoTime() + BORROW_LOOK_NANOS;
        for (int k = 1; k < layout.size() && (richest < 0 || System.nanoTime() < lookUntil); k++) {
            int i = (to + k) % layout.size();
            try {
                var fields = redis.<String, String>opsForHash().multiGet(layout.gate(i), List.of("stock", "dbzero"));
                if (fields.getFirst() != null && !"1".equals(fields.get(1)) && Long.parseLong(fields.getFirst()) > most) {
                    most = Long.parseLong(fields.getFirst());
                    richest = i;
                }
            } catch (DataAccessException unreachable) {
                log.debug("Sub-gate {} of coupon {} unreachable while borrowing: {}", i, layout.couponId(), unreachable.getMessage());
            }
        }
        if (richest < 0) {
            return 0;
        }
        var id = Long.toHexString(ThreadLocalRandom.current().nextLong());
        Long taken = take(layout, richest, id);
        if (taken == null || taken <= 0) {
            return 0;
        }
        if (!land(layout, richest, id)) {
            return 0; // too late: a sweeper found it lost and put its copies back
        }
        if (Long.valueOf(1).equals(redis.execute(GIVE, List.of(layout.gate(to)), Long.toString(taken)))) {
            return taken;
        }
        // the receiver is gone (its shard lost it) or the database said zero: the copies go back
        redis.execute(GIVE, List.of(layout.gate(richest)), Long.toString(taken));
        return 0;
    }

    /** The first step of a transfer, on its own for the tests that cut one in half. */
    Long take(GateLayout layout, int from, String transfer) {
        return redis.execute(TAKE, List.of(layout.gate(from)), transfer, Long.toString(clock.millis()));
    }

    boolean land(GateLayout layout, int from, String transfer) {
        return Long.valueOf(1).equals(redis.execute(LAND, List.of(layout.gate(from)), transfer));
    }

    /**
     * What one sub-gate holds: its stock, its reservations, and the copies of transfers out of it not landed yet.
     *
     * @param cutOff transfers older than {@link #TRANSIT_LIFE}: their instance died or froze between the steps
     */
    record Held(boolean present, boolean soldOut, long stock, long pending, long inTransit, List<String> cutOff) {

        long copies() {
            return stock + pending + inTransit;
        }
    }

    Held held(GateLayout layout, int at, long now) {
        var fields = redis.<String, String>opsForHash().entries(layout.gate(at));
        Long pending = redis.opsForZSet().zCard(layout.pending(at)); // a lost gate's reservations may outlive it
        if (fields.get("stock") == null) {
            return new Held(false, false, 0, pending == null ? 0 : pending, 0, List.of());
        }
        long inTransit = 0;
        var cutOff = new ArrayList<String>();
        for (var field : fields.entrySet()) {
            if (field.getKey().startsWith("t:")) {
                var transit = field.getValue().split(",");
                if (now - Long.parseLong(transit[1]) > TRANSIT_LIFE.toMillis()) {
                    cutOff.add(field.getKey().substring(2));
                } else {
                    inTransit += Long.parseLong(transit[0]);
                }
            }
        }
        return new Held(true, "1".equals(fields.get("dbzero")), Long.parseLong(fields.get("stock")),
                pending == null ? 0 : pending, inTransit, cutOff);
    }

    /**
     * A sub-gated coupon whose gates hold fewer copies (stock, reservations, transfers under way) than the
     * database has left lost some: a transfer cut off between its steps (its record is dropped here once older
     * than {@link #TRANSIT_LIFE}, so its owner can no longer land it), a sub-gate rebuilt low. Seen twice in a
     * row, a sweep apart, with the database unmoved, the copies go to the sub-gate with the least stock, once
     * for the whole fleet (the first sweeper to claim that shortfall in Redis). A top-up too many (an instance
     * frozen for longer than a sweep between landing a transfer and giving it) costs refusals from the
     * database's conditional write, never a grant too many.
     *
     * @return copies added
     */
    long reconcile(CouponTerms coupon, IntSupplier databaseRemaining) {
        var layout = layouts.of(coupon);
        if (layout.size() == 1) {
            return 0;
        }
        try {
            long now = clock.millis();
            long inGates = 0;
            long least = Long.MAX_VALUE;
            int poorest = 0;
            for (int i = 0; i < layout.size(); i++) {
                var held = held(layout, i, now);
                if (!held.present() || held.soldOut()) {
                    shortfalls.remove(coupon.id());
                    return 0; // being rebuilt, or sold out: nothing to top up
                }
                for (var transfer : held.cutOff()) {
                    land(layout, i, transfer); // taken from its owner: lost, topped up below if still short
                }
                inGates += held.copies();
                if (held.stock() < least) {
                    least = held.stock();
                    poorest = i;
                }
            }
            // read after the gates, and only for gates not sold out: the database's count only goes down, so
            // a grant landing between the two reads makes the gates look richer, never poorer
            int remaining = databaseRemaining.getAsInt();
            if (inGates >= remaining) {
                shortfalls.remove(coupon.id());
                return 0;
            }
            var seen = new Shortfall(remaining, inGates);
            if (!seen.equals(shortfalls.put(coupon.id(), seen))) {
                return 0; // first sighting: looked at again next sweep
            }
            shortfalls.remove(coupon.id());
            var claim = "{" + layout.tags().getFirst() + "}:topup:" + remaining + ":" + inGates;
            if (!Boolean.TRUE.equals(redis.opsForValue().setIfAbsent(claim, "1", Duration.ofMinutes(1)))) {
                return 0; // another instance's sweeper tops this shortfall up
            }
            long missing = remaining - inGates;
            if (Long.valueOf(1).equals(redis.execute(GIVE, List.of(layout.gate(poorest)), Long.toString(missing)))) {
                log.info("Topped up sub-gate {} of coupon {} with {} copies its gates had lost track of", poorest,
                        coupon.id(), missing);
                return missing;
            }
            return 0;
        } catch (DataAccessException unreachable) {
            log.debug("Sub-gates of coupon {} not reconciled now: {}", coupon.id(), unreachable.getMessage());
            return 0;
        }
    }

    /** Adds {@code copies} (or takes them, when negative) to a sub-gate's stock: 1 done, 0 no such gate, -1 sold out. */
    long give(GateLayout layout, int at, long copies) {
        Long given = redis.execute(GIVE, List.of(layout.gate(at)), Long.toString(copies));
        return given == null ? 0 : given;
    }

    /** The coupon no longer needs sweeping. */
    void forget(long couponId) {
        shortfalls.remove(couponId);
    }

    private record Shortfall(int remaining, long inGates) {
    }
}
