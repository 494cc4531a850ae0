package io.couponrush.waitingroom;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.couponrush.coupon.CouponService;
import io.couponrush.coupon.CouponTerms;
import io.couponrush.coupon.WaitingRoom;
import io.couponrush.infra.Dependencies;
import io.couponrush.issuance.Admissions;
import io.couponrush.issuance.Holding;
import io.couponrush.issuance.UserCouponStore;
import io.couponrush.web.ApiException;
import io.couponrush.web.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The waiting rooms: joining a line, where one stands, who may issue, and the admission step.
 *
 * <p>Where things live. The line is in Redis ({@link Line}): every instance answers for it, one coupon in
 * one slot. Every join is in the database before it is answered, and every admission after it is made
 * ({@link Entries}), so a Redis that lost the line gets it back whole from any instance that touches it,
 * with the same order (scores are computed, not drawn at random: {@link LineOrder}) and the same count of
 * admissions, which therefore never exceeds the rate. An admission Redis made but the database has not heard of
 * stays in Redis's {@code unsaved} until a step writes it (see {@link #admit}); only one made moments before
 * Redis lost the line is lost with it, and is made again, within the same budget. An instance killed while
 * people wait costs no one their place: it holds nothing of the line.
 *
 * <p>What it costs. A join: one script and one insert (joining again: one script, no write). A look at one's
 * place: one script (and a read of the stock, shared by the instance for half a second). An issue by someone
 * admitted: one script the first time, nothing after (an admission does not change until the turn ends); a press
 * after the turn: one read of what the person holds per {@code holdings-fresh-for}. Admissions: two scripts per
 * room per step on each instance, and one update per group admitted. Keeping the line whole: one script and one
 * count per open room every {@code reconcile-every} on each instance.
 */
@Component
class Rooms implements Admissions {

    private static final Logger log = LoggerFactory.getLogger(Rooms.class);
    /** At most this many admitted by one step (a step's script stays short). */
    private static final int MOST_PER_STEP = 1_000;
    private static final int REBUILD_CHUNK = 500;
    /**
     * An admission unsaved for longer than this was left by a step that did not write it: the instance that
     * admitted is normally writing it for a moment, and two instances writing the same admission waste a statement.
     */
    private static final Duration SAVE_GRACE = Duration.ofSeconds(5);

    private final CouponService coupons;
    private final Line line;
    private final Entries entries;
    private final WaitingRoomSettings settings;
    private final Clock clock;
    private final Dependencies dependencies;
    private final JdbcClient jdbc;
    private final Cache<Long, Integer> stock;
    /** When each person's turn began, once known: it does not change, so presses within it ask nothing. */
    private final Cache<String, Long> admittedAt;
    /**
     * What a person whose turn ended holds: it can no longer grow, so repeated presses after the turn ask the
     * database once per {@code holdings-fresh-for} (briefly, for a grant that was committing as the turn ended).
     */
    private final Cache<String, Optional<Holding>> holdings;
    private final UserCouponStore userCoupons;
    /** Published draws, which no longer change (see {@link #draw}). */
    private final Cache<Long, Map<String, Object>> draws;
    private final Map<Long, ReentrantLock> rebuilding = new ConcurrentHashMap<>();

    Rooms(CouponService coupons, Line line, Entries entries, WaitingRoomSettings settings, Clock clock,
            Dependencies dependencies, JdbcClient jdbc, UserCouponStore userCoupons) {
        this.coupons = coupons;
        this.line = line;
        this.entries = entries;
        this.settings = settings;
        this.clock = clock;
        this.dependencies = dependencies;
        this.jdbc = jdbc;
        this.userCoupons = userCoupons;
        var ticker = (com.github.benmanes.caffeine.cache.Ticker) () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
        this.stock = Caffeine.newBuilder().expireAfterWrite(settings.stockFreshFor()).maximumSize(10_000).ticker(ticker).build();
        this.admittedAt = Caffeine.newBuilder().expireAfterWrite(Duration.ofHours(1)).maximumSize(200_000).ticker(ticker).build();
        this.draws = Caffeine.newBuilder().expireAfterAccess(Duration.ofHours(1)).maximumSize(1_000).ticker(ticker).build();
        this.holdings = Caffeine.newBuilder().expireAfterWrite(settings.holdingsFreshFor()).maximumSize(200_000).ticker(ticker)
                .build();
    }

    /** Where someone stands, as answered to them (and, for a refused issue, in the problem's members). */
    record Place(String state, String detail, boolean joinedNow, Map<String, Object> members, long retryAfterSeconds) {

        Admissions.Place forIssue() {
            return new Admissions.Place(state, detail, members, retryAfterSeconds);
        }
    }

    CouponTerms roomOf(long couponId) {
        var coupon = coupons.terms(couponId).orElseThrow(() -> CouponService.notFound(couponId));
        if (coupon.room() == null) {
            throw new ApiException(ErrorCode.NO_WAITING_ROOM, "Coupon " + couponId + " has no waiting room: anyone may issue it "
                    + "once its window opens");
        }
        return coupon;
    }

    /** Puts the person in the line (once: a second join answers the first place). */
    Place join(long couponId, long userId, Instant arrivedAt) {
        var coupon = roomOf(couponId);
        var room = coupon.room();
        var now = clock.instant();
        if (arrivedAt.isBefore(room.lineOpensAt())) {
            throw new ApiException(ErrorCode.LINE_NOT_OPEN, "The line for coupon " + couponId + " opens at " + room.lineOpensAt());
        }
        if (!now.isBefore(coupon.endsAt())) {
            throw new ApiException(ErrorCode.ISSUE_CLOSED, "Issuing of coupon " + couponId + " has ended");
        }
        if (remaining(couponId) <= 0) {
            throw new ApiException(ErrorCode.COUPON_SOLD_OUT, "Coupon " + couponId + " has no copies left; there is nothing to wait for");
        }
        double score = LineOrder.score(coupon, userId, arrivedAt);
        var joined = redis(() -> line.join(couponId, userId, score));
        if (joined == null) {
            rebuild(coupon);
            joined = redis(() -> line.join(couponId, userId, score));
            if (joined == null) {
                throw new Dependencies.Unavailable("redis (the line could not be rebuilt)");
            }
        }
        if (!joined.stored()) {
            // durable before it is answered; the retry of a join whose write failed (or whose answer was lost) writes
            // again, which adds nothing; a join the database is known to hold answers from Redis alone
            entries.join(couponId, userId, arrivedAt, joined.score());
            try {
                redis(() -> {
                    line.stored(couponId, userId);
                    return null;
                });
            } catch (RuntimeException e) {
                log.debug("Join of user {} to coupon {} written but not marked stored: {}", userId, couponId, e.getMessage());
            }
        }
        var place = place(coupon, userId, now);
        return new Place(place.state(), place.detail(), joined.isNew(), place.members(), place.retryAfterSeconds());
    }

    /** Where the person stands now. */
    Place place(long couponId, long userId) {
        var coupon = roomOf(couponId);
        var place = place(coupon, userId, clock.instant());
        if (place.state().equals("NOT_IN_LINE")) {
            throw new ApiException(ErrorCode.NOT_IN_LINE, place.detail());
        }
        return place;
    }

    private Line.Status status(CouponTerms coupon, long userId, Instant now) {
        long turn = coupon.room().turn().toMillis();
        var status = redis(() -> line.status(coupon.id(), userId, now.toEpochMilli(), turn));
        if (status.kind() == Line.NOT_BUILT) {
            rebuild(coupon);
            status = redis(() -> line.status(coupon.id(), userId, now.toEpochMilli(), turn));
        }
        return status;
    }

    private Place place(CouponTerms coupon, long userId, Instant now) {
        return place(coupon, userId, status(coupon, userId, now), now);
    }

    private Place place(CouponTerms coupon, long userId, Line.Status status, Instant now) {
        var room = coupon.room();
        int left = remaining(coupon.id());
        var members = new LinkedHashMap<String, Object>();
        members.put("couponId", Long.toString(coupon.id()));
        members.put("copiesLeft", left);
        members.put("waiting", status.waiting());
        members.put("admitted", status.admitted());
        if (status.kind() == -2) {
            return new Place("NOT_IN_LINE", "You are not in the line for coupon " + coupon.id()
                    + "; join it with POST /api/v1/coupons/" + coupon.id() + "/queue", false, members, 0);
        }
        if (!now.isBefore(coupon.endsAt())) {
            return new Place("CLOSED", "Issuing of coupon " + coupon.id() + " has ended", false, members, 0);
        }
        if (status.kind() == 2) {
            var at = Instant.ofEpochMilli(status.admittedAt());
            var ends = at.plus(room.turn());
            members.put("admittedAt", at);
            members.put("turnEndsAt", ends);
            if (status.used()) {
                return new Place("ISSUED", "You got a copy of coupon " + coupon.id(), false, members, 0);
            }
            if (now.isBefore(ends)) {
                admittedAt.put(coupon.id() + ":" + userId, status.admittedAt());
                long left2 = Math.max(1, Duration.between(now, ends).toSeconds());
                return new Place("ADMITTED", "It is your turn: issue coupon " + coupon.id() + " before " + ends, false,
                        members, Math.min(5, left2));
            }
            return new Place("LAPSED", "Your turn ended at " + ends + " without a copy taken", false, members, 0);
        }
        if (left <= 0) {
            return new Place("SOLD_OUT", "Coupon " + coupon.id() + " has no copies left", false, members, 0);
        }
        long ahead = status.rank();
        var opensAt = coupon.startsAt();
        // an entrant of a raffle that is not drawn yet has no place to tell (its score is its draw key)
        boolean undrawn = room.mode() == WaitingRoom.Mode.RAFFLE && now.isBefore(opensAt) && status.score() < LineOrder.ARRIVALS;
        double perSecond = room.auto() ? settings.maxAutoRate() : room.admitPerSecond();
        long waitMillis;
        if (undrawn) {
            members.put("position", null);
            members.put("drawAt", opensAt);
            waitMillis = Duration.between(now, opensAt).toMillis();
        } else {
            members.put("position", ahead + 1);
            members.put("ahead", ahead);
            // admitted once the budget reaches everyone admitted so far and everyone ahead, and this person
            long admittedBy = opensAt.toEpochMilli() + (long) Math.ceil((status.admitted() + ahead + 1) * 1000 / perSecond);
            waitMillis = Math.max(0, admittedBy - now.toEpochMilli());
        }
        members.put("estimatedWaitSeconds", (waitMillis + 999) / 1000);
        if (room.auto()) {
            members.put("estimateIsAtLeast", true); // auto admits no faster than its cap, and slower when turns are taken
        }
        if (!undrawn) {
            // honest early answers: the copies left cannot reach this place unless people ahead give theirs up
            long competitors = Math.max(0, ahead) + status.activeTurns();
            members.put("chance", competitors < left ? "LIKELY" : "UNLIKELY");
        }
        long retry = Math.max(1, Math.min(10, waitMillis / 4_000));
        return new Place("WAITING", undrawn ? "You are in the draw for coupon " + coupon.id() + ", made when its window opens at " + opensAt
                : "You are number " + (ahead + 1) + " in the line for coupon " + coupon.id(), false, members, retry);
    }

    /**
     * Only a turn lets anyone through, whether or not they hold copies: with a per-user limit above one, a
     * holder let through after its turn would go on issuing outside the line. Within the turn a holder may take
     * more (its strategy stops it at the limit); after it, a holder hears what it holds (I6) from here, and
     * anyone else that the turn lapsed.
     */
    @Override
    public Verdict check(CouponTerms coupon, long userId, Instant now) {
        long turn = coupon.room().turn().toMillis();
        var key = coupon.id() + ":" + userId;
        var known = admittedAt.getIfPresent(key);
        if (known != null && now.toEpochMilli() < known + turn) {
            return Verdict.ADMITTED;
        }
        var status = status(coupon, userId, now);
        if (status.kind() != 2) {
            return Verdict.notAdmitted(place(coupon, userId, status, now).forIssue());
        }
        if (now.toEpochMilli() < status.admittedAt() + turn) {
            admittedAt.put(key, status.admittedAt());
            return Verdict.ADMITTED;
        }
        var held = holdings.get(key, k -> userCoupons.holding(coupon.id(), userId));
        if (held.isPresent()) {
            return Verdict.holds(held.get());
        }
        var place = place(coupon, userId, status, now);
        // the turn ended and nothing is held (its place says ISSUED for a turn marked used whose copy is gone)
        return Verdict.notAdmitted(new Place("LAPSED", "Your turn ended at " + Instant.ofEpochMilli(status.admittedAt() + turn)
                + " and you hold no copy", false, place.members(), 0).forIssue());
    }

    @Override
    public void used(CouponTerms coupon, long userId) {
        try {
            redis(() -> {
                line.used(coupon.id(), userId);
                return null;
            });
        } catch (RuntimeException e) {
            // only the line's counts and auto's pace use it; the grant itself is in the database
            log.debug("Turn of user {} for coupon {} not marked used: {}", userId, coupon.id(), e.getMessage());
        }
    }

    /**
     * One admission step for a room whose window is open: admits, writes the admissions to the database, and
     * writes again those an earlier step admitted but did not get written (its instance died in between, or the
     * database refused): Redis keeps them in {@code unsaved} until the database has them, so a Redis lost later
     * is rebuilt with every turn it gave, and neither gives a second turn nor admits above the rate.
     */
    void admit(CouponTerms coupon, Instant now) {
        var room = coupon.room();
        int left = remaining(coupon.id());
        double rate = room.auto() ? -1 : room.admitPerSecond();
        var admission = redis(() -> line.admit(coupon.id(), now.toEpochMilli(), left, rate, settings.maxAutoRate(),
                coupon.startsAt().toEpochMilli(), room.turn().toMillis(), MOST_PER_STEP, coupon.totalQuantity()));
        if (admission == null) {
            rebuild(coupon);
            return;
        }
        if (!admission.users().isEmpty()) {
            save(coupon.id(), admission.users(), admission.atMillis());
        }
        var unsaved = redis(() -> line.unsaved(coupon.id(), now.minus(SAVE_GRACE).toEpochMilli(), MOST_PER_STEP));
        if (!unsaved.isEmpty()) {
            log.info("Writing {} admissions of coupon {} that an earlier step did not get written", unsaved.size(), coupon.id());
            var byTime = new java.util.TreeMap<Long, List<Long>>();
            unsaved.forEach((user, at) -> byTime.computeIfAbsent(at, t -> new ArrayList<>()).add(user));
            byTime.forEach((at, users) -> save(coupon.id(), users, at));
        }
    }

    /** Writes admissions made at one time (Redis's time, which a rebuild gives back), then takes them out of unsaved. */
    private void save(long couponId, List<Long> users, long atMillis) {
        try {
            entries.admitted(couponId, users, Instant.ofEpochMilli(atMillis));
        } catch (RuntimeException e) {
            log.warn("Admissions of {} people to coupon {} not written yet (a later step writes them): {}", users.size(), couponId,
                    e.getMessage());
            return;
        }
        try {
            redis(() -> {
                line.saved(couponId, users);
                return null;
            });
        } catch (RuntimeException e) {
            // they stay unsaved: a later step writes them again, which changes nothing
            log.debug("Admissions to coupon {} written but still marked unsaved: {}", couponId, e.getMessage());
        }
    }

    /** The line's numbers, the same whichever instance answers (they are Redis's). */
    Map<String, Object> stats(long couponId) {
        var coupon = roomOf(couponId);
        var room = coupon.room();
        var now = clock.instant();
        var stats = redis(() -> line.stats(couponId, now.toEpochMilli(), room.turn().toMillis()));
        if (!stats.built()) {
            rebuild(coupon);
            stats = redis(() -> line.stats(couponId, now.toEpochMilli(), room.turn().toMillis()));
        }
        var view = new LinkedHashMap<String, Object>();
        view.put("couponId", Long.toString(couponId));
        view.put("mode", room.mode().name().toLowerCase(java.util.Locale.ROOT));
        view.put("admitRate", room.auto() ? "auto" : "fixed");
        view.put("admitPerSecond", room.auto() ? settings.maxAutoRate() : room.admitPerSecond());
        view.put("turnSeconds", room.turn().toSeconds());
        view.put("lineOpensAt", room.lineOpensAt());
        view.put("opensAt", coupon.startsAt());
        view.put("waiting", stats.waiting());
        view.put("admitted", stats.admitted());
        view.put("inTurn", stats.activeTurns());
        view.put("issued", stats.used());
        view.put("lapsed", Math.max(0, stats.admitted() - stats.activeTurns() - stats.used()));
        view.put("copiesLeft", remaining(couponId));
        view.put("seedHash", room.seedHash());
        view.put("seed", room.revealedSeed(revealedAt(coupon), now));
        return view;
    }

    /**
     * When a raffle's seed is published: a margin after the opening, so that no instance whose clock runs behind
     * still takes joins into the draw (stamped before the opening by its clock) from someone who knows the seed.
     */
    private Instant revealedAt(CouponTerms coupon) {
        return coupon.startsAt().plus(settings.revealAfterOpening());
    }

    /**
     * The raffle's entrants and its order, once published: anyone can recompute the order from the seed. The
     * entrants joined before the opening, and the last of their writes is committed within {@code join-write-wait}
     * of it; from then on the draw is computed once per instance (an HMAC per entrant) and kept.
     */
    Map<String, Object> draw(long couponId) {
        var coupon = roomOf(couponId);
        var room = coupon.room();
        if (room.mode() != WaitingRoom.Mode.RAFFLE) {
            throw new ApiException(ErrorCode.NO_WAITING_ROOM, "Coupon " + couponId + "'s line is first come, first served: it has no draw");
        }
        var now = clock.instant();
        if (now.isBefore(revealedAt(coupon))) {
            throw new ApiException(ErrorCode.DRAW_NOT_MADE, "The draw for coupon " + couponId + " is made when its window opens at "
                    + coupon.startsAt() + " and published with its seed at " + revealedAt(coupon) + "; its seed's SHA-256 is "
                    + room.seedHash());
        }
        var kept = draws.getIfPresent(couponId);
        if (kept != null) {
            return kept;
        }
        var entrants = entries.joinedBefore(couponId, coupon.startsAt());
        var view = new LinkedHashMap<String, Object>();
        view.put("couponId", Long.toString(couponId));
        view.put("seed", room.revealedSeed(revealedAt(coupon), now));
        view.put("seedHash", room.seedHash());
        view.put("rule", "Entrants are everyone who joined before opensAt. Each one's key is HMAC-SHA256(key = seed bytes, "
                + "message = \"couponrush-raffle:<couponId>:<userId>\"); the draw's order is ascending by that key read as an "
                + "unsigned big-endian number. People who joined later follow, in the order they arrived.");
        view.put("opensAt", coupon.startsAt());
        view.put("entrants", entrants.stream().map(Object::toString).toList());
        view.put("order", LineOrder.drawOrder(room.seed(), couponId, entrants).stream().map(Object::toString).toList());
        var settled = coupon.startsAt().plus(settings.joinWriteWait());
        if (!now.isBefore(revealedAt(coupon)) && !now.isBefore(settled)) {
            var published = java.util.Collections.unmodifiableMap(view);
            draws.put(couponId, published);
            return published;
        }
        return view;
    }

    /**
     * One call to the line's Redis, through its circuit. An error reply (LOADING while a restarted Redis reads its
     * snapshot, a failover's READONLY, a key of the wrong type) leaves the line as unusable as a lost connection:
     * it is answered like one, 503 with Retry-After, not 500.
     */
    private <T> T redis(Supplier<T> call) {
        try {
            return dependencies.redis(call);
        } catch (DataAccessException e) {
            throw new Dependencies.Unavailable("redis (" + e.getMostSpecificCause().getMessage() + ")");
        }
    }

    /** Copies left, as the database says, read at most once per {@code stock-fresh-for} per coupon. */
    int remaining(long couponId) {
        return stock.get(couponId, id -> jdbc.sql("SELECT remaining FROM coupons WHERE id = ?").param(id).query(Integer.class)
                .optional().orElse(0));
    }

    private void putWhenFull(long couponId, List<Line.Person> people) {
        if (people.size() >= REBUILD_CHUNK) {
            put(couponId, people);
        }
    }

    /** Adds these people to the line in Redis, and empties the list. */
    private void put(long couponId, List<Line.Person> people) {
        var chunk = List.copyOf(people);
        redis(() -> {
            line.put(couponId, chunk);
            return null;
        });
        people.clear();
    }

    /**
     * Gives Redis the line back from the database: everyone who joined (with their score), who was admitted
     * and when, who got a copy; then marks it whole. Adds only, so instances rebuilding at once agree.
     */
    void rebuild(CouponTerms coupon) {
        rebuild(coupon, false);
    }

    /**
     * Compares the line in Redis with the database, and gives Redis back what it lacks. A line that is marked
     * built can still be behind (a Redis restored from an old snapshot, some of its keys lost): nothing else would
     * notice, and it would tell people who joined that they are not in line, and admit by a count that forgot
     * turns given. Redis never rightly holds fewer people or admissions than the database (both are written to
     * Redis first), so fewer says it lost some; the database is read first, so joins meanwhile only add to Redis.
     */
    void reconcile(CouponTerms coupon) {
        var kept = entries.counts(coupon.id());
        var now = clock.instant();
        var stats = redis(() -> line.stats(coupon.id(), now.toEpochMilli(), coupon.room().turn().toMillis()));
        if (!stats.built()) {
            rebuild(coupon);
        } else if (stats.joined() < kept.joined() || stats.admitted() < kept.admitted()) {
            log.warn("Line of coupon {} in Redis is behind the database ({} joined and {} admitted, against {} and {}): "
                    + "rebuilding it", coupon.id(), stats.joined(), stats.admitted(), kept.joined(), kept.admitted());
            rebuild(coupon, true);
        }
    }

    /** {@code force}: even over a line marked built (what it holds is kept; the rebuild only adds). */
    private void rebuild(CouponTerms coupon, boolean force) {
        var lock = rebuilding.computeIfAbsent(coupon.id(), id -> new ReentrantLock());
        try {
            if (!lock.tryLock(settings.rebuildWait().toMillis(), TimeUnit.MILLISECONDS)) {
                // the rebuild under way is stuck on a server: this request is not held behind it
                throw new Dependencies.Unavailable("redis (the line of coupon " + coupon.id() + " is being rebuilt)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Dependencies.Unavailable("redis (interrupted while the line was being rebuilt)");
        }
        try {
            var now = clock.instant();
            if (!force && redis(() -> line.stats(coupon.id(), now.toEpochMilli(), coupon.room().turn().toMillis())).built()) {
                return; // another thread did it
            }
            var all = entries.all(coupon.id());
            // Whoever holds a copy was admitted, even if the write of that admission was lost: else they would wait
            // in the line again, for a second turn counted a second time against the rate. Their turn is taken to
            // have begun at their first copy (it began no later), which can only lengthen it by less than a turn.
            var firstCopies = entries.firstCopies(coupon.id());
            var people = new ArrayList<Line.Person>(REBUILD_CHUNK);
            long admitted = 0;
            var inLine = new java.util.HashSet<Long>(all.size());
            for (var entry : all) {
                inLine.add(entry.userId());
                var at = entry.admittedAt() != null ? entry.admittedAt() : firstCopies.get(entry.userId());
                admitted += at == null ? 0 : 1;
                people.add(new Line.Person(entry.userId(), entry.score(), at == null ? null : at.toEpochMilli(),
                        firstCopies.containsKey(entry.userId()), true));
                putWhenFull(coupon.id(), people);
            }
            for (var holder : firstCopies.entrySet()) {
                if (!inLine.contains(holder.getKey())) { // Redis had their join, the database never did
                    admitted++;
                    people.add(new Line.Person(holder.getKey(), LineOrder.score(coupon, holder.getKey(), holder.getValue()),
                            holder.getValue().toEpochMilli(), true, false));
                    putWhenFull(coupon.id(), people);
                }
            }
            if (!people.isEmpty()) {
                put(coupon.id(), people);
            }
            long admittedSoFar = admitted;
            redis(() -> {
                line.built(coupon.id(), admittedSoFar);
                return null;
            });
            if (!all.isEmpty()) {
                log.info("Line of coupon {} rebuilt from the database: {} people, {} admitted", coupon.id(), all.size(), admitted);
            }
        } finally {
            lock.unlock();
        }
    }
}
