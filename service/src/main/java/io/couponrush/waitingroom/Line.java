package io.couponrush.waitingroom;

import java.util.ArrayList;
import java.util.List;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * A coupon's line in Redis. Seven keys in one hash slot ({@code {room:42}:…}, so a Cluster keeps them
 * together and one script touches them all):
 * <ul>
 *   <li>{@code line}: the people still waiting, scored by {@link LineOrder};</li>
 *   <li>{@code people}: everyone who joined, with their score (joining twice answers the first place);</li>
 *   <li>{@code stored}: those of them whose join the database is known to hold (joining again writes nothing);</li>
 *   <li>{@code admitted}: the admitted, scored by when (ms);</li>
 *   <li>{@code used}: the admitted who got a copy, scored by when they were admitted;</li>
 *   <li>{@code unsaved}: the admitted whose admission the database has not confirmed yet (an instance that
 *       admits writes them down and then takes them out; whatever stays is written by a later step);</li>
 *   <li>{@code meta}: {@code built} (this incarnation holds everything the database does), {@code count}
 *       (admitted so far) and {@code last} (the latest time an admission step ran at).</li>
 * </ul>
 * Admission is a budget, not a hand-out: a step admits the head of the line up to {@code rate x (now -
 * opening) - admitted so far}, in one script, so any number of instances running steps at any moment
 * never admit faster than the rate together, and none of them hands out turns alone.
 */
@Component
class Line {

    /** Answered by every script when this Redis does not hold the line (new, or lost): rebuild it first. */
    static final long NOT_BUILT = -1;

    /**
     * KEYS: line, people, meta, stored. ARGV: user, score. Answers: kind (-1 not built, 0 joined now, 1 joined
     * before and stored, 2 joined before and maybe not stored), score.
     */
    private static final RedisScript<List> JOIN = RedisScript.of("""
            if redis.call('HGET', KEYS[3], 'built') ~= '1' then return {-1, ''} end
            local s = redis.call('HGET', KEYS[2], ARGV[1])
            if s then
                if redis.call('SISMEMBER', KEYS[4], ARGV[1]) == 1 then return {1, s} end
                return {2, s}
            end
            redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
            redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
            return {0, ARGV[2]}
            """, List.class);

    /**
     * KEYS: line, people, admitted, used, meta. ARGV: user, now (ms), turn (ms). Answers: kind (-1 not built,
     * -2 not in line, 1 waiting, 2 admitted), rank or admitted-at, used, waiting, admitted so far, active turns.
     */
    private static final RedisScript<List> STATUS = RedisScript.of("""
            if redis.call('HGET', KEYS[5], 'built') ~= '1' then return {-1} end
            local score = redis.call('HGET', KEYS[2], ARGV[1])
            if not score then return {-2} end
            local since = '(' .. (tonumber(ARGV[2]) - tonumber(ARGV[3]))
            local active = redis.call('ZCOUNT', KEYS[3], since, '+inf') - redis.call('ZCOUNT', KEYS[4], since, '+inf')
            local waiting = redis.call('ZCARD', KEYS[1])
            local count = redis.call('HGET', KEYS[5], 'count') or '0'
            local at = redis.call('ZSCORE', KEYS[3], ARGV[1])
            if at then
                local used = 0
                if redis.call('ZSCORE', KEYS[4], ARGV[1]) then used = 1 end
                return {2, at, used, waiting, count, active, score}
            end
            local rank = redis.call('ZRANK', KEYS[1], ARGV[1])
            return {1, tostring(rank or -1), 0, waiting, count, active, score}
            """, List.class);

    /**
     * One admission step. KEYS: line, admitted, used, meta, unsaved. ARGV: now (ms), copies left, rate (people/s, or -1
     * for auto), auto's most per second, opening (ms), turn (ms), most to admit now, copies in all. Answers the
     * admitted. Auto counts the copies left as the lower of the database's (read a moment ago, and behind a
     * grant a strategy writes after answering) and the copies in all less the turns used, which Redis hears
     * of at the grant: both are upper bounds, so the lower one never hands out a turn for a copy already gone.
     * When it admits, the first answer is the time it admitted at (the latest any instance ran a step at).
     */
    private static final RedisScript<List> ADMIT = RedisScript.of("""
            if redis.call('HGET', KEYS[4], 'built') ~= '1' then return {'-1'} end
            local now = math.max(tonumber(ARGV[1]), tonumber(redis.call('HGET', KEYS[4], 'last') or '0'))
            redis.call('HSET', KEYS[4], 'last', now)
            local start = tonumber(ARGV[5])
            local remaining = tonumber(ARGV[2])
            if now < start or remaining <= 0 then return {'0'} end
            local count = tonumber(redis.call('HGET', KEYS[4], 'count') or '0')
            local rate = tonumber(ARGV[3])
            local budget
            if rate > 0 then
                budget = math.floor(rate * (now - start) / 1000) - count
            else
                local since = '(' .. (now - tonumber(ARGV[6]))
                local active = redis.call('ZCOUNT', KEYS[2], since, '+inf') - redis.call('ZCOUNT', KEYS[3], since, '+inf')
                local left = math.min(remaining, tonumber(ARGV[8]) - redis.call('ZCARD', KEYS[3]))
                budget = math.min(math.floor(tonumber(ARGV[4]) * (now - start) / 1000) - count, left - active)
            end
            budget = math.min(budget, tonumber(ARGV[7]))
            if budget <= 0 then return {'0'} end
            local popped = redis.call('ZPOPMIN', KEYS[1], budget)
            local out = {tostring(now)}
            for i = 1, #popped, 2 do
                redis.call('ZADD', KEYS[2], now, popped[i])
                redis.call('SADD', KEYS[5], popped[i])
                out[#out + 1] = popped[i]
            end
            if #out > 1 then redis.call('HINCRBY', KEYS[4], 'count', #out - 1) end
            return out
            """, List.class);

    /** KEYS: admitted, used. ARGV: user. The person's turn is used (they hold a copy). */
    private static final RedisScript<Long> USED = RedisScript.of("""
            local at = redis.call('ZSCORE', KEYS[1], ARGV[1])
            if not at then return 0 end
            redis.call('ZADD', KEYS[2], at, ARGV[1])
            return 1
            """, Long.class);

    /**
     * A rebuild's chunk. KEYS: line, people, admitted, used, stored. ARGV: per person user, score, admitted-at (ms,
     * or '-'), used (1/0), stored (1/0). Only ever adds: two instances rebuilding at once write the same things.
     */
    private static final RedisScript<Long> PUT = RedisScript.of("""
            for i = 1, #ARGV, 5 do
                local user = ARGV[i]
                redis.call('HSET', KEYS[2], user, ARGV[i + 1])
                if ARGV[i + 4] == '1' then redis.call('SADD', KEYS[5], user) end
                if ARGV[i + 2] ~= '-' then
                    redis.call('ZREM', KEYS[1], user)
                    redis.call('ZADD', KEYS[3], 'NX', ARGV[i + 2], user)
                    if ARGV[i + 3] == '1' then redis.call('ZADD', KEYS[4], ARGV[i + 2], user) end
                elseif not redis.call('ZSCORE', KEYS[3], user) then
                    redis.call('ZADD', KEYS[1], ARGV[i + 1], user)
                end
            end
            return 1
            """, Long.class);

    /** KEYS: meta. ARGV: admitted so far per the database. The line is complete: admissions may use it. */
    private static final RedisScript<Long> BUILT = RedisScript.of("""
            local count = tonumber(redis.call('HGET', KEYS[1], 'count') or '0')
            if tonumber(ARGV[1]) > count then redis.call('HSET', KEYS[1], 'count', ARGV[1]) end
            redis.call('HSET', KEYS[1], 'built', '1')
            return 1
            """, Long.class);

    /**
     * KEYS: admitted, unsaved. ARGV: admitted before (ms), most. Answers user, admitted-at (ms) pairs of the unsaved
     * admitted before then (those after are most likely being saved by the instance that just admitted them); an
     * unsaved user Redis no longer holds as admitted is dropped (its admission is gone with what Redis lost).
     */
    private static final RedisScript<List> UNSAVED = RedisScript.of("""
            local out = {}
            for _, user in ipairs(redis.call('SRANDMEMBER', KEYS[2], tonumber(ARGV[2]))) do
                local at = redis.call('ZSCORE', KEYS[1], user)
                if not at then
                    redis.call('SREM', KEYS[2], user)
                elseif tonumber(at) < tonumber(ARGV[1]) then
                    out[#out + 1] = user
                    out[#out + 1] = at
                end
            end
            return out
            """, List.class);

    /**
     * KEYS: line, meta, admitted, used, people. ARGV: now, turn. Answers waiting, admitted so far, active turns, used,
     * built, everyone who joined.
     */
    private static final RedisScript<List> STATS = RedisScript.of("""
            local since = '(' .. (tonumber(ARGV[1]) - tonumber(ARGV[2]))
            return {redis.call('ZCARD', KEYS[1]), redis.call('HGET', KEYS[2], 'count') or '0',
                    redis.call('ZCOUNT', KEYS[3], since, '+inf') - redis.call('ZCOUNT', KEYS[4], since, '+inf'),
                    redis.call('ZCARD', KEYS[4]), redis.call('HGET', KEYS[2], 'built') or '0', redis.call('HLEN', KEYS[5])}
            """, List.class);

    private final StringRedisTemplate redis;

    Line(StringRedisTemplate redis) {
        this.redis = redis;
    }

    private static String key(long couponId, String part) {
        return "{room:" + couponId + "}:" + part;
    }

    /**
     * The score the person has in the line ({@code isNew} when this call put them there, {@code stored} when the
     * database is known to hold their join); NOT_BUILT as {@code null}.
     */
    record Joined(double score, boolean isNew, boolean stored) {
    }

    Joined join(long couponId, long userId, double score) {
        List<?> reply = redis.execute(JOIN, List.of(key(couponId, "line"), key(couponId, "people"), key(couponId, "meta"),
                key(couponId, "stored")), Long.toString(userId), Double.toString(score));
        long kind = number(reply.get(0));
        return kind == NOT_BUILT ? null : new Joined(Double.parseDouble(text(reply.get(1))), kind == 0, kind == 1);
    }

    /** The database holds this person's join. */
    void stored(long couponId, long userId) {
        redis.opsForSet().add(key(couponId, "stored"), Long.toString(userId));
    }

    /**
     * @param kind       -1 not built, -2 not in line, 1 waiting, 2 admitted
     * @param rank       waiting: people ahead; admitted: -1
     * @param admittedAt admitted: when (ms)
     */
    record Status(long kind, long rank, long admittedAt, boolean used, long waiting, long admitted, long activeTurns,
            double score) {
    }

    Status status(long couponId, long userId, long nowMillis, long turnMillis) {
        List<?> reply = redis.execute(STATUS, List.of(key(couponId, "line"), key(couponId, "people"), key(couponId, "admitted"),
                key(couponId, "used"), key(couponId, "meta")), Long.toString(userId), Long.toString(nowMillis), Long.toString(turnMillis));
        long kind = number(reply.get(0));
        if (kind < 0) {
            return new Status(kind, -1, 0, false, 0, 0, 0, Double.NaN);
        }
        long second = (long) Double.parseDouble(text(reply.get(1)));
        return new Status(kind, kind == 1 ? second : -1, kind == 2 ? second : 0, number(reply.get(2)) == 1,
                number(reply.get(3)), number(reply.get(4)), number(reply.get(5)), Double.parseDouble(text(reply.get(6))));
    }

    /** Those one admission step admitted (none, possibly), and when (ms). */
    record Admission(long atMillis, List<Long> users) {
    }

    /** What one admission step admitted, or {@code null} when the line is not built. */
    Admission admit(long couponId, long nowMillis, int remaining, double rate, double maxAutoRate, long startMillis,
            long turnMillis, int most, int copies) {
        List<?> reply = redis.execute(ADMIT, List.of(key(couponId, "line"), key(couponId, "admitted"), key(couponId, "used"),
                        key(couponId, "meta"), key(couponId, "unsaved")), Long.toString(nowMillis), Integer.toString(remaining),
                Double.toString(rate), Double.toString(maxAutoRate), Long.toString(startMillis), Long.toString(turnMillis),
                Integer.toString(most), Integer.toString(copies));
        if ("-1".equals(text(reply.get(0)))) {
            return null;
        }
        var admitted = new ArrayList<Long>(reply.size() - 1);
        for (int i = 1; i < reply.size(); i++) {
            admitted.add(Long.parseLong(text(reply.get(i))));
        }
        return new Admission((long) Double.parseDouble(text(reply.get(0))), admitted);
    }

    /** Unsaved admissions made before {@code beforeMillis}: user to admitted-at (ms). */
    java.util.Map<Long, Long> unsaved(long couponId, long beforeMillis, int most) {
        List<?> reply = redis.execute(UNSAVED, List.of(key(couponId, "admitted"), key(couponId, "unsaved")),
                Long.toString(beforeMillis), Integer.toString(most));
        var unsaved = new java.util.LinkedHashMap<Long, Long>();
        for (int i = 0; i + 1 < reply.size(); i += 2) {
            unsaved.put(Long.parseLong(text(reply.get(i))), (long) Double.parseDouble(text(reply.get(i + 1))));
        }
        return unsaved;
    }

    /** The database has these admissions. */
    void saved(long couponId, java.util.Collection<Long> userIds) {
        if (!userIds.isEmpty()) {
            redis.opsForSet().remove(key(couponId, "unsaved"), userIds.stream().map(String::valueOf).toArray());
        }
    }

    void used(long couponId, long userId) {
        redis.execute(USED, List.of(key(couponId, "admitted"), key(couponId, "used")), Long.toString(userId));
    }

    /** One person of a rebuild: admitted-at {@code null} while waiting; stored when the database holds their join. */
    record Person(long userId, double score, Long admittedAtMillis, boolean used, boolean stored) {
    }

    void put(long couponId, List<Person> people) {
        var args = new ArrayList<String>(people.size() * 5);
        for (var person : people) {
            args.add(Long.toString(person.userId()));
            args.add(Double.toString(person.score()));
            args.add(person.admittedAtMillis() == null ? "-" : Long.toString(person.admittedAtMillis()));
            args.add(person.used() ? "1" : "0");
            args.add(person.stored() ? "1" : "0");
        }
        redis.execute(PUT, List.of(key(couponId, "line"), key(couponId, "people"), key(couponId, "admitted"), key(couponId, "used"),
                key(couponId, "stored")), args.toArray());
    }

    void built(long couponId, long admittedSoFar) {
        redis.execute(BUILT, List.of(key(couponId, "meta")), Long.toString(admittedSoFar));
    }

    /** Waiting, admitted so far, active turns, used turns, built, everyone who joined. */
    record Stats(long waiting, long admitted, long activeTurns, long used, boolean built, long joined) {
    }

    Stats stats(long couponId, long nowMillis, long turnMillis) {
        List<?> reply = redis.execute(STATS, List.of(key(couponId, "line"), key(couponId, "meta"), key(couponId, "admitted"),
                key(couponId, "used"), key(couponId, "people")), Long.toString(nowMillis), Long.toString(turnMillis));
        return new Stats(number(reply.get(0)), number(reply.get(1)), number(reply.get(2)), number(reply.get(3)),
                number(reply.get(4)) == 1, number(reply.get(5)));
    }

    private static long number(Object reply) {
        return reply instanceof Number n ? n.longValue() : Long.parseLong(text(reply));
    }

    private static String text(Object reply) {
        return reply instanceof byte[] bytes ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8) : String.valueOf(reply);
    }
}
