package io.couponrush.issuance.strategy;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.couponrush.coupon.CouponTerms;
import io.couponrush.issuance.Holding;
import io.couponrush.issuance.IssuedCoupon;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * The admission gate of the {@code redis-gate} strategy. Per coupon, four keys in one hash slot
 * ({@code {coupon:42}:…}, so Redis Cluster keeps them together and one script can touch them all):
 * <ul>
 *   <li>{@code gate}: stock left to admit, the window, an epoch naming this incarnation, and
 *       {@code dbzero}, set once the database itself said the stock is gone;</li>
 *   <li>{@code holders}: users whose grants are <em>committed</em>, with their newest grant;</li>
 *   <li>{@code res} and {@code pending}: reservations. An admission is a lease with a deadline, not a
 *       mark: it becomes a holder only once its commit returned, and goes back to the stock when its
 *       commit failed. A reservation whose instance died, froze or lost Redis at the wrong moment
 *       comes due at its deadline, and any instance's sweeper settles it from the database: the row
 *       it named exists (a holder) or does not (its copy goes back to the stock).</li>
 * </ul>
 *
 * <p>The database stays the source of truth, and the gate only ever says what the database said:
 * {@code ALREADY_ISSUED} for committed holders, {@code COUPON_SOLD_OUT} only once the database
 * reached zero. While the gate has no stock but the database has not said zero (reservations in
 * flight, or stranded by a crash), requests go to the database, which grants what is really left:
 * copies freed by a crash go to the next users who ask. A gate that admits more than the database
 * has (rebuilt while grants were in flight, a reservation settled while its frozen owner still
 * committed) costs a refusal from the database's conditional write, never an oversell.
 *
 * <p>A coupon may be split into sub-gates ({@link GateLayout}): that many groups of these keys in different
 * slots, each deciding the people routed to it, with the stock moving between them ({@link SubGateStock}).
 */
@Component
public class CouponGate {

    private static final Logger log = LoggerFactory.getLogger(CouponGate.class);


    /** Result codes of the admit script. */
    enum Verdict { NOT_LOADED, SOLD_OUT, ADMITTED, ALREADY_ISSUED, NOT_OPEN, CLOSED, IN_FLIGHT, EXHAUSTED }

    /**
     * @param holder for {@code ALREADY_ISSUED}, what the user holds
     */
    record Admission(Verdict verdict, long epoch, Holding holder) {
    }

    /** Row ids are 64-bit, beyond a Lua number's exact range: compare their decimal text. */
    private static final String NEWER = """
            local function newer(a, b)
                if #a ~= #b then return #a > #b end
                return a > b
            end
            """;

    /**
     * Decides the requests of one coupon queued together, one after another in their order, exactly as
     * one script run per request would. KEYS: gate, holders, res, pending. ARGV: limit, then per request
     * user, now, reservation id, deadline. Answers per request: verdict, epoch, holding ('' if none).
     */
    private static final RedisScript<List> ADMIT = RedisScript.of("""
            local f = redis.call('HMGET', KEYS[1], 'stock', 'start', 'end', 'epoch', 'dbzero')
            local out = {}
            if not f[1] then
                for i = 2, #ARGV, 4 do
                    out[#out + 1] = 0; out[#out + 1] = 0; out[#out + 1] = ''
                end
                return out
            end
            local stock = tonumber(f[1])
            local start, finish, epoch, dbzero = tonumber(f[2]), tonumber(f[3]), tonumber(f[4]), f[5] == '1'
            local limit = tonumber(ARGV[1])
            local admitted = 0
            local function one(user, now, reservation, deadline)
                if now < start then return 4, 0, '' end
                if now >= finish then return 5, 0, '' end
                local h = redis.call('HGET', KEYS[2], user)
                local held = 0
                if h then held = tonumber(string.match(h, '^(%d+)')) end
                if limit > 0 and held >= limit then return 3, 0, h end
                if limit > 0 then
                    -- a reservation of this user is still in flight: not a holder yet, so the database decides
                    local p = tonumber(redis.call('HGET', KEYS[3], 'p:' .. user) or '0')
                    if held + p >= limit then return 6, 0, '' end
                end
                if stock <= 0 then
                    if dbzero then
                        if h then return 3, 0, h end
                        return 1, 0, ''
                    end
                    return 7, 0, ''
                end
                stock = stock - 1
                admitted = admitted + 1
                redis.call('ZADD', KEYS[4], deadline, reservation)
                redis.call('HSET', KEYS[3], 'r:' .. reservation, user .. ',' .. f[4])
                redis.call('HINCRBY', KEYS[3], 'p:' .. user, 1)
                return 2, epoch, ''
            end
            for i = 2, #ARGV, 4 do
                local verdict, e, h = one(ARGV[i], tonumber(ARGV[i + 1]), ARGV[i + 2], tonumber(ARGV[i + 3]))
                out[#out + 1] = verdict; out[#out + 1] = e; out[#out + 1] = h
            end
            if admitted > 0 then redis.call('HINCRBY', KEYS[1], 'stock', -admitted) end
            return out
            """, List.class);

    /**
     * Settles reservations of one coupon, each once, whoever gets there first (its owner after the
     * commit, or a sweeper after its deadline); several queued together run one after another in
     * their order. KEYS: gate, holders, res, pending. ARGV per reservation: reservation, user, epoch,
     * mode, value. Modes: granted (value: id|micros|key of the committed row), held (the database says
     * the user holds: value is the whole holding), soldout (the database is at zero), returned
     * (nothing was written: the copy goes back, unless the database is known to be at zero). Answers
     * per reservation 1 if this settled it, 0 if it was settled already (or belongs to a lost gate).
     */
    private static final RedisScript<List> SETTLE = RedisScript.of(NEWER + """
            local function one(reservation, user, epoch, mode, value)
                local r = redis.call('HGET', KEYS[3], 'r:' .. reservation)
                if not r then return 0 end
                redis.call('HDEL', KEYS[3], 'r:' .. reservation)
                redis.call('ZREM', KEYS[4], reservation)
                if redis.call('HINCRBY', KEYS[3], 'p:' .. user, -1) <= 0 then redis.call('HDEL', KEYS[3], 'p:' .. user) end
                if redis.call('HGET', KEYS[1], 'epoch') ~= epoch then return 0 end
                if mode == 'granted' then
                    local h = redis.call('HGET', KEYS[2], user)
                    -- a holding the gate learned from the database after this commit counts the row already
                    -- (ids are time-ordered; a count too low only costs a database answer, one too high would lie)
                    if not h or newer(string.match(value, '^(%d+)'), string.match(h, '^%d+|(%d+)')) then
                        local held = 0
                        if h then held = tonumber(string.match(h, '^(%d+)')) end
                        redis.call('HSET', KEYS[2], user, (held + 1) .. '|' .. value)
                    end
                elseif mode == 'soldout' then
                    redis.call('HSET', KEYS[1], 'stock', 0, 'dbzero', 1)
                else
                    if mode == 'held' then redis.call('HSET', KEYS[2], user, value) end
                    if redis.call('HGET', KEYS[1], 'dbzero') ~= '1' then redis.call('HINCRBY', KEYS[1], 'stock', 1) end
                end
                return 1
            end
            local out = {}
            for i = 1, #ARGV, 5 do
                out[#out + 1] = one(ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4])
            end
            return out
            """, List.class);

    /**
     * What the database said outside any reservation (a request that went straight to it).
     * KEYS: gate, holders. ARGV: mode, user, value. Modes: plus (one more committed copy, value
     * id|micros|key; it took a copy of the stock), held (the whole holding), soldout.
     */
    private static final RedisScript<Long> LEARN = RedisScript.of(NEWER + """
            if redis.call('HEXISTS', KEYS[1], 'stock') == 0 then return 0 end
            local mode = ARGV[1]
            if mode == 'soldout' then
                redis.call('HSET', KEYS[1], 'stock', 0, 'dbzero', 1)
            elseif mode == 'held' then
                redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
            else
                local h = redis.call('HGET', KEYS[2], ARGV[2])
                if h and not newer(string.match(ARGV[3], '^(%d+)'), string.match(h, '^%d+|(%d+)')) then return 0 end
                local held = 0
                if h then held = tonumber(string.match(h, '^(%d+)')) end
                redis.call('HSET', KEYS[2], ARGV[2], (held + 1) .. '|' .. ARGV[3])
                -- the copy came out of the database's stock without a reservation: it was one the
                -- gate counts as reserved (stranded by a crash, or in flight) or as admissible. The
                -- stock goes below zero until that reservation settles and gives it back, so that
                -- stock + reservations keeps equal to what the database has left.
                redis.call('HINCRBY', KEYS[1], 'stock', -1)
            end
            return 1
            """, Long.class);

    /**
     * Claims reservations past their deadline for this sweeper: they come due again a lease later,
     * so a sweeper that dies before settling them leaves them to the next. KEYS: pending, res.
     * ARGV: now, claimed until, max. Answers id, "user,epoch" pairs.
     */
    private static final RedisScript<List> DUE = RedisScript.of("""
            local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
            local out = {}
            for _, id in ipairs(due) do
                local r = redis.call('HGET', KEYS[2], 'r:' .. id)
                if r then
                    redis.call('ZADD', KEYS[1], tonumber(ARGV[2]), id)
                    table.insert(out, id)
                    table.insert(out, r)
                else
                    redis.call('ZREM', KEYS[1], id)
                end
            end
            return out
            """, List.class);

    /** Requests of one coupon decided (or settled) by one script run at most: bounds a run's length. */
    private static final int MAX_BATCH = 256;
    /** Rounds of borrowing one request goes through before the database decides. */
    private static final int BORROW_ROUNDS = 3;

    private final StringRedisTemplate redis;
    private final GateLayouts layouts;
    private final SubGateStock stock;
    private final GateLoader loader;
    private final Clock clock;
    /**
     * One Redis round trip for the admissions (and for the settlements) of a gate that arrive while
     * the previous one is in flight, instead of one each: on one instance the gate cost two round trips
     * per request, and those, not the database, set its throughput (README, Performance).
     */
    private final Coalescer<AdmitCall, Admission> admissions = new Coalescer<>(this::admitAll, MAX_BATCH);
    private final Coalescer<SettleCall, Boolean> settlements = new Coalescer<>(this::settleAll, MAX_BATCH);

    CouponGate(StringRedisTemplate redis, GateLayouts layouts, SubGateStock stock, GateLoader loader, Clock clock) {
        this.redis = redis;
        this.layouts = layouts;
        this.stock = stock;
        this.loader = loader;
        this.clock = clock;
    }

    /** Builds the gate unless Redis has it (every sub-gate of it). */
    void ensureLoaded(CouponTerms coupon) {
        loader.ensureLoaded(coupon);
    }

    GateLayout layout(CouponTerms coupon) {
        return layouts.of(coupon);
    }

    GateLayout layout(long couponId) {
        return layouts.of(couponId);
    }

    /** The keys of a coupon of one gate (tests read and break them directly). */
    static String key(long couponId) {
        return GateLayout.of(couponId, 1).gate(0);
    }

    static String holdersKey(long couponId) {
        return GateLayout.of(couponId, 1).holders(0);
    }

    private record AdmitCall(CouponTerms coupon, long userId, Instant now, long reservation, Instant deadline) {
    }

    private record SettleCall(long userId, long reservation, long epoch, String mode, String value) {
    }

    /**
     * Decides one request; builds the gate from the database first if Redis does not have it. With sub-gates,
     * a person whose sub-gate has no stock left while another has some borrows half of the richest one's
     * first: no copy stays out of reach of the people asking while someone asks elsewhere.
     *
     * @param reservation the row id an admitted request will be written under
     * @param deadline    when an admission not settled by then is settled by a sweeper
     */
    Admission admit(CouponTerms coupon, long userId, Instant now, long reservation, Instant deadline) {
        var layout = layout(coupon);
        int at = layout.of(userId);
        var admission = tryAdmit(layout, at, coupon, userId, now, reservation, deadline);
        if (admission.verdict() == Verdict.NOT_LOADED) {
            loader.load(coupon);
            admission = tryAdmit(layout, at, coupon, userId, now, reservation, deadline);
        }
        for (int round = 0; round < BORROW_ROUNDS && admission.verdict() == Verdict.EXHAUSTED && layout.size() > 1; round++) {
            if (stock.borrow(layout, at) == 0) {
                break;
            }
            admission = tryAdmit(layout, at, coupon, userId, now, reservation, deadline);
        }
        return admission;
    }

    private Admission tryAdmit(GateLayout layout, int at, CouponTerms coupon, long userId, Instant now, long reservation,
            Instant deadline) {
        return admissions.call(layout.line(at), new AdmitCall(coupon, userId, now, reservation, deadline));
    }

    private List<Admission> admitAll(long line, List<AdmitCall> calls) {
        var coupon = calls.getFirst().coupon(); // one line: one sub-gate of one coupon
        var layout = layout(coupon);
        int at = layout.of(calls.getFirst().userId());
        var args = new ArrayList<String>(1 + calls.size() * 4);
        args.add(Integer.toString(coupon.perUserLimit()));
        for (var call : calls) {
            args.add(Long.toString(call.userId()));
            args.add(Long.toString(call.now().toEpochMilli()));
            args.add(Long.toString(call.reservation()));
            args.add(Long.toString(call.deadline().toEpochMilli()));
        }
        List<?> result = redis.execute(ADMIT, layout.all(at), args.toArray());
        var admissions = new ArrayList<Admission>(calls.size());
        for (int i = 0; i < calls.size(); i++) {
            var verdict = Verdict.values()[((Number) result.get(3 * i)).intValue()];
            long epoch = ((Number) result.get(3 * i + 1)).longValue();
            var holder = verdict == Verdict.ALREADY_ISSUED
                    ? GateRecords.holding(coupon.id(), calls.get(i).userId(), text(result.get(3 * i + 2))) : null;
            admissions.add(new Admission(verdict, epoch, holder));
        }
        return admissions;
    }

    private static String text(Object reply) {
        return reply instanceof byte[] bytes ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8) : reply.toString();
    }

    /** The owner's commit returned a row; false when the reservation was no longer there to settle. */
    boolean granted(CouponTerms coupon, long userId, long reservation, long epoch, IssuedCoupon row, String key) {
        return settle(layout(coupon), userId, reservation, epoch, "granted", GateRecords.grantValue(row, key));
    }

    /** The database says the user holds already; the reserved copy goes back. */
    void held(CouponTerms coupon, long userId, long reservation, long epoch, Holding holding) {
        settle(layout(coupon), userId, reservation, epoch, "held", GateRecords.holdingValue(holding));
    }

    /** The database is at zero: the gate admits nothing more and says so. */
    void soldOut(CouponTerms coupon, long userId, long reservation, long epoch) {
        settle(layout(coupon), userId, reservation, epoch, "soldout", "");
    }

    /** Nothing was written for this reservation: its copy goes back. */
    void returned(CouponTerms coupon, long userId, long reservation, long epoch) {
        settle(layout(coupon), userId, reservation, epoch, "returned", "");
    }

    private boolean settle(GateLayout layout, long userId, long reservation, long epoch, String mode, String value) {
        return settlements.call(layout.line(layout.of(userId)), new SettleCall(userId, reservation, epoch, mode, value));
    }

    private List<Boolean> settleAll(long line, List<SettleCall> calls) {
        var layout = layout(line / GateLayout.MAX_SUB_GATES);
        int at = layout.of(calls.getFirst().userId());
        var args = new ArrayList<String>(calls.size() * 5);
        boolean zero = false;
        for (var call : calls) {
            args.add(Long.toString(call.reservation()));
            args.add(Long.toString(call.userId()));
            args.add(Long.toString(call.epoch()));
            args.add(call.mode());
            args.add(call.value());
            zero |= call.mode().equals("soldout");
        }
        List<?> result = redis.execute(SETTLE, layout.all(at), args.toArray());
        if (zero) {
            for (int i = 0; i < layout.size(); i++) {
                if (i != at) {
                    tellSoldOut(layout, i);
                }
            }
        }
        return result.stream().map(settled -> ((Number) settled).longValue() == 1L).toList();
    }

    /** A request settled without a reservation got this row. */
    void learnGrant(CouponTerms coupon, long userId, IssuedCoupon row, String key) {
        var layout = layout(coupon);
        int at = layout.of(userId);
        redis.execute(LEARN, List.of(layout.gate(at), layout.holders(at)), "plus", Long.toString(userId), GateRecords.grantValue(row, key));
    }

    /** A request settled without a reservation found the user holding this. */
    void learnHolding(CouponTerms coupon, long userId, Holding holding) {
        var layout = layout(coupon);
        int at = layout.of(userId);
        redis.execute(LEARN, List.of(layout.gate(at), layout.holders(at)), "held", Long.toString(userId), GateRecords.holdingValue(holding));
    }

    /** The database said the stock is gone: every sub-gate hears it. */
    void learnSoldOut(CouponTerms coupon) {
        var layout = layout(coupon);
        if (layout.size() == 1) {
            redis.execute(LEARN, List.of(layout.gate(0), layout.holders(0)), "soldout", "", "");
            return;
        }
        for (int i = 0; i < layout.size(); i++) {
            tellSoldOut(layout, i);
        }
    }

    /** One sub-gate hears the zero; one that cannot be reached now hears it from the next request that meets it. */
    private void tellSoldOut(GateLayout layout, int at) {
        try {
            redis.execute(LEARN, List.of(layout.gate(at), layout.holders(at)), "soldout", "", "");
        } catch (DataAccessException e) {
            log.debug("Sub-gate {} of coupon {} did not hear the zero now: {}", at, layout.couponId(), e.getMessage());
        }
    }

    /**
     * A request of a coupon split into sub-gates, whose own sub-gate could not be reached, was granted by the
     * database: the gate learns it like any grant outside a reservation, or, when its own sub-gate is still
     * away, the copy leaves the stock of another sub-gate, so the gates do not go on admitting for a copy the
     * database no longer has (when its own sub-gate is rebuilt, it gets what the others do not hold, which
     * counts this copy right).
     */
    void learnGrantBypassing(CouponTerms coupon, long userId, IssuedCoupon row, String key) {
        var layout = layout(coupon);
        int own = layout.of(userId);
        try {
            learnGrant(coupon, userId, row, key);
            return;
        } catch (DataAccessException ownUnreachable) {
            log.debug("Sub-gate {} of coupon {} unreachable: {}", own, coupon.id(), ownUnreachable.getMessage());
        }
        for (int k = 1; k < layout.size(); k++) {
            try {
                long given = stock.give(layout, (own + k) % layout.size(), -1);
                if (given != 0) {
                    return; // taken off, or the database is at zero anyway
                }
            } catch (DataAccessException e) {
                log.debug("Sub-gate {} of coupon {} unreachable: {}", (own + k) % layout.size(), coupon.id(), e.getMessage());
            }
        }
    }

    /** A reservation past its deadline, claimed by this sweeper. */
    record Due(long couponId, long reservation, long userId, long epoch) {
    }

    /** Claims up to {@code max} reservations of a coupon whose deadline has passed, over all its sub-gates. */
    List<Due> due(long couponId, Instant now, Instant claimUntil, int max) {
        var layout = layout(couponId);
        var due = new ArrayList<Due>();
        for (int at = 0; at < layout.size() && due.size() < max; at++) {
            List<?> raw;
            try {
                raw = redis.execute(DUE, List.of(layout.pending(at), layout.reservations(at)),
                        Long.toString(now.toEpochMilli()), Long.toString(claimUntil.toEpochMilli()),
                        Integer.toString(max - due.size()));
            } catch (DataAccessException unreachable) {
                if (layout.size() == 1) {
                    throw unreachable;
                }
                log.debug("Sub-gate {} of coupon {} not swept now: {}", at, couponId, unreachable.getMessage());
                continue; // the other sub-gates are swept
            }
            for (int i = 0; i + 1 < raw.size(); i += 2) {
                var owner = text(raw.get(i + 1)).split(",");
                due.add(new Due(couponId, Long.parseLong(text(raw.get(i))), Long.parseLong(owner[0]),
                        Long.parseLong(owner[1])));
            }
        }
        return due;
    }

    /** Settles a due reservation from what the database holds. */
    void settleDue(Due due, IssuedCoupon committed, String key) {
        var layout = layout(due.couponId());
        if (committed != null) {
            settle(layout, due.userId(), due.reservation(), due.epoch(), "granted", GateRecords.grantValue(committed, key));
        } else {
            settle(layout, due.userId(), due.reservation(), due.epoch(), "returned", "");
        }
    }

    /** The coupons that have (or had) a gate. */
    List<Long> gatedCoupons() {
        var members = redis.opsForSet().members(GateLoader.GATES);
        return members == null ? List.of() : members.stream().map(Long::parseLong).toList();
    }

    /** The coupon no longer needs sweeping (its window is over and nothing is pending). */
    void forget(long couponId) {
        redis.opsForSet().remove(GateLoader.GATES, Long.toString(couponId));
        stock.forget(couponId);
    }

    long pendingCount(long couponId) {
        var layout = layout(couponId);
        long pending = 0;
        for (int i = 0; i < layout.size(); i++) {
            Long size = redis.opsForZSet().zCard(layout.pending(i));
            pending += size == null ? 0 : size;
        }
        return pending;
    }

    /**
     * What the gate holds now, summed over its sub-gates, for the audit's reconciliation.
     *
     * @param loaded  whether Redis has the gate (every sub-gate of it; it is built on first use)
     * @param stock   stock left to admit
     * @param pending reservations not settled yet
     * @param holders users recorded as holding committed copies
     * @param soldOut the database was seen at zero
     */
    public record GateState(boolean loaded, long stock, long pending, long holders, boolean soldOut) {
    }

    public GateState inspect(long couponId) {
        return state(couponId, true);
    }

    /** The same without counting holders: what a request waiting for reservations to settle watches. */
    GateState settling(long couponId) {
        return state(couponId, false);
    }

    private GateState state(long couponId, boolean countHolders) {
        var layout = layout(couponId);
        boolean loaded = true;
        boolean soldOut = false;
        long inStock = 0;
        long pending = 0;
        long holders = 0;
        long now = clock.millis();
        for (int i = 0; i < layout.size(); i++) {
            SubGateStock.Held held;
            try {
                held = stock.held(layout, i, now);
            } catch (DataAccessException unreachable) {
                if (layout.size() == 1) {
                    throw unreachable;
                }
                loaded = false; // its shard is away: the sum would be short
                continue;
            }
            pending += held.pending();
            if (!held.present()) {
                loaded = false;
                continue;
            }
            inStock += held.stock() + held.inTransit(); // a transfer under way is stock on its way to a sub-gate
            soldOut |= held.soldOut();
            if (countHolders) {
                Long size = redis.opsForHash().size(layout.holders(i));
                holders += size == null ? 0 : size;
            }
        }
        return loaded ? new GateState(true, inStock, pending, holders, soldOut) : new GateState(false, 0, pending, 0, false);
    }
}
