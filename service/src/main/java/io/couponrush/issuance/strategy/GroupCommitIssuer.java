package io.couponrush.issuance.strategy;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import io.couponrush.coupon.CouponTerms;
import io.couponrush.coupon.Strategy;
import io.couponrush.infra.Dependencies;
import io.couponrush.issuance.CommitOutcomeUnknown;
import io.couponrush.issuance.Holding;
import io.couponrush.issuance.IssueOutcome;
import io.couponrush.issuance.IssueRequest;
import io.couponrush.issuance.IssueTransactions;
import io.couponrush.issuance.Issuer;
import io.couponrush.issuance.UserCouponStore;
import io.couponrush.issuance.UserCouponStore.UserKey;
import io.couponrush.issuance.strategy.Contenders.Backlog;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Group commit on the hot row: requests for one coupon queue up, and one transaction settles
 * everything queued (lock the row, find who already holds, grant min(remaining, eligible) in
 * arrival order, one multi-row INSERT, one UPDATE, commit), then every caller is answered.
 *
 * <p>The row lock is held for one batch instead of one request, so a hot coupon costs a handful
 * of round trips and one commit per batch, not per request. A new batch starts the moment the
 * previous commit returns, so batches grow with load and shrink to one request when it is quiet.
 * Across instances the row lock serializes batches exactly as it serializes single requests.
 * Callers are answered only after the commit (I3); a failed transaction leaves nothing (I4), and a
 * batch that fails because of one member (a row it cannot write) is settled again member by member,
 * so the others are not punished for it. Once the database says the coupon is sold out, later
 * requests are answered from memory: stock in the database only ever goes down, and the holders,
 * loaded once at that moment, hear {@code ALREADY_ISSUED} with their grant, never sold out (I6).
 *
 * <p>First come, first served across instances (I9). The row lock orders batches, not arrivals: an
 * instance whose lane ran late could otherwise take the lock with a batch of late arrivals and sell
 * out while another instance still holds earlier ones. So while the stock runs short
 * ({@code contest-below}), every lane publishes its earliest undecided arrival ({@link Contenders}),
 * and a batch that, together with the others' undecided requests, wants more than is left grants only
 * its requests that arrived before every other instance's earliest. The rest stay undecided (their
 * callers keep waiting) until the others have had their turn: the copies go out as a merge of all
 * instances' queues by arrival. The instance holding the earliest undecided request can always grant
 * it, so the merge never stalls; a published arrival whose instance stops renewing it holds nobody
 * up past its lease, and no request waits longer than {@code contest-max-wait} for others.
 */
@Component
final class GroupCommitIssuer implements Issuer {

    private static final Logger log = LoggerFactory.getLogger(GroupCommitIssuer.class);

    private static final String LOCK_ROW = "SELECT remaining FROM coupons WHERE id = ? FOR UPDATE";
    private static final String TAKE_MANY = """
            UPDATE coupons SET remaining = remaining - ?, version = version + 1
            WHERE id = ? AND remaining >= ?
            """;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Contenders contenders;
    private final IssueTransactions transaction;
    private final UserCouponStore userCoupons;
    private final BatchSettings settings;
    private final Dependencies dependencies;
    private final DistributionSummary batchSizes;
    private final Map<Long, Lane> lanes = new ConcurrentHashMap<>();

    GroupCommitIssuer(JdbcClient jdbc, Clock clock, Contenders contenders, IssueTransactions transaction,
            UserCouponStore userCoupons, BatchSettings settings, Dependencies dependencies, MeterRegistry meters) {
        this.dependencies = dependencies;
        this.jdbc = jdbc;
        this.clock = clock;
        this.contenders = contenders;
        this.transaction = transaction;
        this.userCoupons = userCoupons;
        this.settings = settings;
        this.batchSizes = DistributionSummary.builder("couponrush.issue.batch.size")
                .description("Requests settled per group-commit transaction")
                .publishPercentiles(0.5, 0.99)
                .register(meters);
    }

    @Override
    public Strategy strategy() {
        return Strategy.BATCHED;
    }

    @Override
    public IssueOutcome issue(CouponTerms coupon, IssueRequest request) {
        return submit(coupon, new Claim(request, null));
    }

    @Override
    public void prepare(CouponTerms coupon) {
        var lane = lanes.computeIfAbsent(coupon.id(), id -> new Lane(coupon));
        lane.lastUsed = clock.millis(); // kept while the warm-up keeps it ready
        if (lane.knownRemaining < 0) {
            // off the request path: tells the lane whether its first batch already contests the last copies
            lane.knownRemaining = remaining(coupon.id());
        }
    }

    /** Settles a request whose row id was chosen beforehand (a gate reservation names its row). */
    IssueOutcome issueReserved(CouponTerms coupon, IssueRequest request, long rowId) {
        return submit(coupon, new Claim(request, rowId));
    }

    private IssueOutcome submit(CouponTerms coupon, Claim claim) {
        Lane lane;
        while (true) {
            lane = lanes.computeIfAbsent(coupon.id(), id -> new Lane(coupon));
            if (lane.enter()) {
                break;
            }
            lanes.remove(coupon.id(), lane); // retired by the idle sweep after we found it: take a fresh one
        }
        try {
            if (lane.soldOut) {
                return lane.soldOutAnswer(claim.request());
            }
            var pending = new Pending(claim, new CompletableFuture<>());
            if (!lane.queue.offer(pending)) {
                return IssueOutcome.OVERLOADED;
            }
            lane.kick();
            // No timeout of our own: the answer may only be given once the batch's fate is known.
            // Every wait below is bounded (pool wait, lock wait timeout, statement and idle timeouts),
            // and the drain loop completes every request it takes, whatever happens.
            return pending.answer.join();
        } finally {
            lane.leave();
        }
    }

    /**
     * Drops the lanes nobody used since {@code idleBefore} (clock millis): a lane, and a sold-out one's
     * holders, are kept only while the coupon is being asked for, so memory does not grow with the
     * number of coupons ever issued. A dropped lane costs the coupon's next request what a fresh one
     * costs: a batch that reads the stock (and, at zero, the holders) again. Answers how many it dropped.
     */
    int evictIdle(long idleBefore) {
        int dropped = 0;
        for (var entry : lanes.entrySet()) {
            var lane = entry.getValue();
            if (lane.retireIfIdle(idleBefore)) {
                lanes.remove(entry.getKey(), lane);
                dropped++;
            }
        }
        return dropped;
    }

    /** Whether this instance keeps a lane for the coupon (tests watch it). */
    boolean hasLane(long couponId) {
        return lanes.containsKey(couponId);
    }

    /** Coupons with a lane in this instance (tests and the heap measurement watch it). */
    int lanes() {
        return lanes.size();
    }

    /** Requests waiting in this instance's queue for the coupon (tests watch it). */
    int queuedFor(long couponId) {
        var lane = lanes.get(couponId);
        return lane == null ? 0 : lane.queue.size();
    }

    /** Whether this instance has seen the coupon's stock reach zero in the database. */
    boolean knownSoldOut(long couponId) {
        var lane = lanes.get(couponId);
        return lane != null && lane.soldOut;
    }

    /** The stock the database has left, read without locking. */
    int remaining(long couponId) {
        return jdbc.sql("SELECT remaining FROM coupons WHERE id = ?").param(couponId).query(Integer.class).single();
    }

    /** One request of a batch, and the row id it must be written under if one was reserved. */
    record Claim(IssueRequest request, Long rowId) {

        static Claim of(long userId) {
            return new Claim(IssueRequest.of(userId), null);
        }
    }

    /**
     * How a batch takes part in the contest for the last copies.
     *
     * @param on      publish what stays undecided (in the batch's transaction)
     * @param giveWay leave undecided what arrived after another instance's earliest undecided request;
     *                false once this lane's requests waited {@code contest-max-wait} for the others
     * @param queued  the lane's requests not in this batch, read just before the commit
     */
    record Contest(boolean on, boolean giveWay, Supplier<Backlog> queued) {

        static final Contest NONE = new Contest(false, false, () -> Backlog.NONE);
    }

    /**
     * Settles one batch in one transaction and answers each request in order. Package-private
     * so tests can hand it an exact batch.
     */
    Settlement settle(CouponTerms coupon, List<Claim> claims) {
        return settle(coupon, claims, Contest.NONE);
    }

    /** As above, taking part in the contest for the last copies: an outcome {@code null} is left undecided. */
    Settlement settle(CouponTerms coupon, List<Claim> claims, Contest contest) {
        return transaction.execute(tx -> {
            int remaining = jdbc.sql(LOCK_ROW).param(coupon.id()).query(Integer.class).single();
            // Read under the row lock: every batch that committed before holds it no more, and its
            // instance's publication, made in the same transaction, is what it left undecided.
            var rivals = contest.giveWay() && remaining > 0 ? contenders.rivals(coupon.id()) : Backlog.NONE;
            // This lane's own queue counts too: a request stamped earlier can reach the queue after a
            // later one was drained into this batch (threads run in any order).
            var ahead = contest.on() && remaining > 0 ? rivals.and(contest.queued().get()) : rivals;
            boolean contested = !ahead.isEmpty() && (long) claims.size() + ahead.count() > remaining;
            var users = new LinkedHashSet<Long>();
            var keys = new LinkedHashSet<UserKey>();
            for (var claim : claims) {
                users.add(claim.request().userId());
                if (claim.request().keyed()) {
                    keys.add(new UserKey(claim.request().userId(), claim.request().idempotencyKey()));
                }
            }
            // An unlimited coupon needs no holdings to decide; only its sold-out answers do (below).
            var held = coupon.unlimitedPerUser() ? new HashMap<Long, Holding>() : userCoupons.holdings(coupon.id(), users);
            var byKey = userCoupons.byKeys(keys);

            var decisions = new Decision[claims.size()];
            var grants = new ArrayList<UserCouponStore.Grant>();
            var grantOfKey = new HashMap<UserKey, Integer>();
            var copies = new HashMap<Long, Integer>(); // copies held, counting this batch's grants
            held.forEach((user, holding) -> copies.put(user, holding.copies()));
            // First come, first served within the batch too: by when the server received each request,
            // not by when it reached the queue (threads released together reach it in any order).
            for (int index : arrivalOrder(claims)) {
                var claim = claims.get(index);
                var request = claim.request();
                var key = request.keyed() ? new UserKey(request.userId(), request.idempotencyKey()) : null;
                if (key != null && byKey.containsKey(key)) {
                    var original = byKey.get(key);
                    decisions[index] = original.couponId() == coupon.id()
                            ? Decision.answer(new IssueOutcome.Issued(original, true))
                            : Decision.answer(new IssueOutcome.KeyReused(original.couponId()));
                    continue;
                }
                if (key != null && grantOfKey.containsKey(key)) {
                    decisions[index] = Decision.sameAs(grantOfKey.get(key)); // the same request twice in one batch
                    continue;
                }
                int holds = copies.getOrDefault(request.userId(), 0);
                if (!coupon.unlimitedPerUser() && holds >= coupon.perUserLimit()) {
                    decisions[index] = Decision.noCopy(request.userId());
                } else if (grants.size() >= remaining) {
                    decisions[index] = Decision.noCopy(request.userId());
                } else if (contested && claim.rowId() == null && Contenders.micros(request.arrivedAt()) > ahead.earliest()) {
                    // another instance (or this lane's queue) holds an earlier arrival: its turn first
                    // (a reservation already won its copy at the gate)
                    decisions[index] = Decision.DEFER;
                } else {
                    copies.put(request.userId(), holds + 1);
                    if (key != null) {
                        grantOfKey.put(key, grants.size());
                    }
                    decisions[index] = Decision.grant(grants.size());
                    grants.add(new UserCouponStore.Grant(request.userId(),
                            coupon.unlimitedPerUser() ? null : holds + 1, request.idempotencyKey(), claim.rowId(), request.arrivedAt()));
                }
            }
            var issued = List.<io.couponrush.issuance.IssuedCoupon>of();
            if (!grants.isEmpty()) {
                issued = userCoupons.insertAll(coupon.id(), grants);
                // Conditional even under the row lock: if anything ever let two batches through at
                // once, this matches no row and the whole batch rolls back instead of overselling.
                int updated = jdbc.sql(TAKE_MANY).params(grants.size(), coupon.id(), grants.size()).update();
                if (updated != 1) {
                    throw new IllegalStateException("stock of coupon " + coupon.id() + " changed under the row lock");
                }
                for (int i = 0; i < issued.size(); i++) {
                    var grant = grants.get(i);
                    held.put(grant.userId(), Holding.plus(held.get(grant.userId()), issued.get(i), grant.idempotencyKey()));
                }
            }
            if (coupon.unlimitedPerUser()) {
                var refused = java.util.Arrays.stream(decisions).filter(d -> d.kind == Decision.Kind.NO_COPY).map(d -> d.userId)
                        .filter(user -> !held.containsKey(user)).distinct().toList();
                held.putAll(userCoupons.holdings(coupon.id(), refused));
            }
            if (contest.on()) {
                var undecided = contest.queued().get();
                for (int i = 0; i < claims.size(); i++) {
                    if (decisions[i].kind == Decision.Kind.DEFER) {
                        undecided = undecided.plus(Contenders.micros(claims.get(i).request().arrivedAt()));
                    }
                }
                contenders.publish(coupon.id(), undecided);
            }
            var outcomes = new ArrayList<IssueOutcome>(claims.size());
            for (var decision : decisions) {
                outcomes.add(switch (decision.kind) {
                    case DEFER -> null;
                    case ANSWER -> decision.outcome;
                    case GRANT -> new IssueOutcome.Issued(issued.get(decision.grant));
                    case SAME_AS -> new IssueOutcome.Issued(issued.get(decision.grant), true);
                    case NO_COPY -> held.containsKey(decision.userId)
                            ? new IssueOutcome.AlreadyIssued(held.get(decision.userId))
                            : IssueOutcome.SOLD_OUT;
                });
            }
            return new Settlement(outcomes, remaining - grants.size());
        });
    }

    /** Positions of the claims, earliest arrival first; claims without a stamp keep their queue order. */
    static int[] arrivalOrder(List<Claim> claims) {
        return java.util.stream.IntStream.range(0, claims.size()).boxed()
                .sorted(java.util.Comparator.comparing((Integer i) -> claims.get(i).request().arrivedAt(),
                        java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder())))
                .mapToInt(Integer::intValue).toArray();
    }

    /** What one request of a batch gets, decided before the rows exist. */
    private record Decision(Kind kind, IssueOutcome outcome, int grant, long userId) {

        enum Kind { ANSWER, GRANT, SAME_AS, NO_COPY, DEFER }

        static final Decision DEFER = new Decision(Kind.DEFER, null, -1, 0);

        static Decision answer(IssueOutcome outcome) {
            return new Decision(Kind.ANSWER, outcome, -1, 0);
        }

        static Decision grant(int index) {
            return new Decision(Kind.GRANT, null, index, 0);
        }

        static Decision sameAs(int index) {
            return new Decision(Kind.SAME_AS, null, index, 0);
        }

        /** At the limit, or no stock: a holder hears what it holds, anyone else sold out. */
        static Decision noCopy(long userId) {
            return new Decision(Kind.NO_COPY, null, -1, userId);
        }
    }

    /** A batch's answers, in request order ({@code null}: left undecided), and the stock its commit left. */
    record Settlement(List<IssueOutcome> outcomes, int remainingAfter) {
    }

    private record Pending(Claim claim, CompletableFuture<IssueOutcome> answer) {
    }

    /** One coupon's queue and the loop that drains it; the loop exits when the queue is empty. */
    private final class Lane {

        private final CouponTerms coupon;
        // bounded but not pre-allocated: a lane made ready before the opening costs a few bytes, not maxQueue slots
        private final LinkedBlockingQueue<Pending> queue;
        private final AtomicBoolean draining = new AtomicBoolean();
        /** Holders of the sold-out coupon; {@code null} when too many to keep (then asked per request). */
        private volatile Map<Long, Holding> holders;
        private volatile boolean soldOut;
        /** The stock the database had left after this lane's last batch (or its warm-up); -1 unknown. */
        private volatile int knownRemaining = -1;
        // the drainer's own: whether this instance has a row in issue_contenders for the coupon, and
        // since when (clock millis) its oldest undecided requests wait for other instances' turn
        private boolean published;
        private long yieldingSince = -1;
        /** Requests inside {@link #submit} on this lane; -1 once the idle sweep retired it. */
        private final java.util.concurrent.atomic.AtomicInteger users = new java.util.concurrent.atomic.AtomicInteger();
        private volatile long lastUsed;

        Lane(CouponTerms coupon) {
            this.coupon = coupon;
            this.queue = new LinkedBlockingQueue<>(settings.maxQueue());
            this.lastUsed = clock.millis();
        }

        /** A request takes the lane; false if the lane was retired (the caller takes a fresh one). */
        boolean enter() {
            while (true) {
                int now = users.get();
                if (now < 0) {
                    return false;
                }
                if (users.compareAndSet(now, now + 1)) {
                    return true;
                }
            }
        }

        void leave() {
            lastUsed = clock.millis();
            users.decrementAndGet();
        }

        /**
         * Retires the lane if nobody is in it, nothing is queued or being settled, and it was last used
         * before {@code idleBefore}. The count of users is what decides: a request that entered before
         * makes the swap fail, one that comes after finds the lane retired and takes a fresh one, so no
         * request is ever queued on a lane nobody drains. A drainer still running (withdrawing this
         * instance's published arrival) keeps the lane.
         */
        boolean retireIfIdle(long idleBefore) {
            return lastUsed < idleBefore && !draining.get() && queue.isEmpty() && users.compareAndSet(0, -1);
        }

        IssueOutcome soldOutAnswer(IssueRequest request) {
            var known = holders;
            if (known == null) {
                return userCoupons.soldOutFor(coupon.id(), request.userId());
            }
            var holding = known.get(request.userId());
            return holding == null ? IssueOutcome.SOLD_OUT : new IssueOutcome.AlreadyIssued(holding);
        }

        void kick() {
            if (draining.compareAndSet(false, true)) {
                Thread.ofVirtual().name("group-commit-" + coupon.id()).start(this::drain);
            }
        }

        private void drain() {
            boolean returned = false;
            try {
                drainQueue();
                returned = true;
            } finally {
                // Thrown out of the loop (an Error: answer() handles every exception) while owning
                // the lane: hand it on, or every later request would wait forever. A normal return
                // has already handed it on, possibly to a new drainer, so it must not touch the flag.
                if (!returned) {
                    draining.set(false);
                    if (!queue.isEmpty()) {
                        kick();
                    }
                }
            }
        }

        private void drainQueue() {
            var batch = new ArrayList<Pending>(settings.maxBatch());
            var undecided = List.<Pending>of();
            while (true) {
                batch.clear();
                batch.addAll(undecided);
                queue.drainTo(batch, Math.max(0, settings.maxBatch() - batch.size()));
                if (batch.isEmpty()) {
                    if (published) {
                        withdraw();
                    }
                    draining.set(false);
                    // A request queued after drainTo but before the flag dropped would wait forever
                    // without this second look.
                    if (queue.isEmpty() || !draining.compareAndSet(false, true)) {
                        return;
                    }
                    continue;
                }
                undecided = answer(batch, contest(batch, !undecided.isEmpty()));
                if (undecided.isEmpty()) {
                    yieldingSince = -1;
                } else {
                    awaitTurn(undecided);
                }
            }
        }

        /** Whether this batch takes part in the contest for the last copies (see the class comment). */
        private Contest contest(List<Pending> batch, boolean waitedBefore) {
            int known = knownRemaining;
            if (soldOut || settings.contestBelow() == 0 || (known >= 0 && known > settings.contestBelow())) {
                return Contest.NONE;
            }
            // Before the row lock: the others must see this lane's earliest arrival while it waits (its
            // last transaction published what was queued then; more may have come since).
            var backlog = backlog(batch);
            if (!backlog.isEmpty()) {
                try {
                    contenders.publish(coupon.id(), backlog);
                    published = true;
                } catch (RuntimeException e) {
                    log.debug("Coupon {}: could not publish this instance's earliest arrival: {}", coupon.id(), e.getMessage());
                }
            }
            if (!waitedBefore) {
                yieldingSince = -1;
            }
            boolean giveWay = yieldingSince < 0 || clock.millis() - yieldingSince < settings.contestMaxWait().toMillis();
            return new Contest(true, giveWay, this::queued);
        }

        /** What waits in the queue behind the batch being settled. */
        private Backlog queued() {
            return backlog(queue);
        }

        /** The requests among these that still contest a copy (a reservation already won its copy at the gate). */
        private static Backlog backlog(Iterable<Pending> pendings) {
            var backlog = Backlog.NONE;
            for (var pending : pendings) {
                if (pending.claim().rowId() == null) {
                    backlog = backlog.plus(Contenders.micros(pending.claim().request().arrivedAt()));
                }
            }
            return backlog;
        }

        /**
         * Some requests were left for other instances' earlier arrivals: wait until no other instance
         * holds anything earlier than this lane's earliest (or its lease ran out), up to contest-max-wait.
         */
        private void awaitTurn(List<Pending> undecided) {
            if (yieldingSince < 0) {
                yieldingSince = clock.millis();
            }
            // this lane's earliest: what it left undecided, or what queued behind its batch meanwhile
            long mine = Math.min(queued().earliest(),
                    undecided.stream().mapToLong(p -> Contenders.micros(p.claim().request().arrivedAt())).min().orElse(Long.MAX_VALUE));
            try {
                while (clock.millis() - yieldingSince < settings.contestMaxWait().toMillis()) {
                    var rivals = contenders.rivals(coupon.id());
                    if (rivals.isEmpty() || rivals.earliest() >= mine) {
                        return;
                    }
                    // The rival's turn is a transaction in another process, seen only through its row in
                    // the database: there is nothing local to wait on. A look per millisecond (about one
                    // rival batch) happens only while the last copies are contested and another instance
                    // holds earlier arrivals, and for contest-max-wait at most.
                    Thread.sleep(1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                // the next round's transaction meets the same trouble and answers it
                log.debug("Coupon {}: could not read other instances' arrivals: {}", coupon.id(), e.getMessage());
            }
        }

        private void withdraw() {
            published = false;
            try {
                contenders.withdraw(coupon.id());
            } catch (RuntimeException e) {
                // the row's lease runs out by itself
                log.debug("Coupon {}: could not withdraw this instance's arrival: {}", coupon.id(), e.getMessage());
            }
        }

        /** Answers every request of the batch that was decided, and returns those left undecided. */
        private List<Pending> answer(List<Pending> batch, Contest contest) {
            List<IssueOutcome> outcomes = null;
            var undecided = new ArrayList<Pending>();
            try {
                if (soldOut) {
                    outcomes = batch.stream().map(p -> soldOutAnswer(p.claim().request())).toList();
                    return undecided;
                }
                batchSizes.record(batch.size());
                outcomes = settleRobustly(batch.stream().map(Pending::claim).toList(), contest);
            } catch (RuntimeException e) {
                var outcome = failed(e, batch.size());
                outcomes = batch.stream().map(p -> outcome).toList();
            } finally {
                for (int i = 0; i < batch.size(); i++) {
                    var outcome = outcomes == null ? new IssueOutcome.Failed("batch aborted") : outcomes.get(i);
                    if (outcome == null) {
                        undecided.add(batch.get(i));
                    } else {
                        batch.get(i).answer.complete(outcome);
                    }
                }
            }
            return undecided;
        }

        /** What the callers of a transaction that failed this way are told. */
        private IssueOutcome failed(RuntimeException e, int members) {
            return switch (e) {
                case CommitOutcomeUnknown unknown -> {
                    log.warn("Group commit for coupon {} lost the answer to its COMMIT for {} request(s): {}",
                            coupon.id(), members, unknown.getMessage());
                    yield IssueOutcome.UNSETTLED;
                }
                case CannotCreateTransactionException _, DataAccessResourceFailureException _, QueryTimeoutException _,
                        TransientDataAccessResourceException _ -> {
                    log.debug("Group commit for coupon {} shed {} request(s): {}", coupon.id(), members, e.getMessage());
                    dependencies.failed(e);
                    yield IssueOutcome.OVERLOADED;
                }
                default -> {
                    log.warn("Group commit for coupon {} failed {} request(s): {}", coupon.id(), members, e.getMessage());
                    yield new IssueOutcome.Failed("rolled back: " + e.getClass().getSimpleName());
                }
            };
        }

        /**
         * One member whose row cannot be written (a user that no longer exists, a key reused across
         * coupons by a concurrent request) fails the multi-row INSERT and so the whole transaction.
         * Then, and only then, each member is settled on its own, in arrival order, so it alone
         * gets the answer its own failure deserves.
         */
        private List<IssueOutcome> settleRobustly(List<Claim> claims, Contest contest) {
            try {
                return settleAndWatch(claims, contest);
            } catch (DataIntegrityViolationException e) {
                if (claims.size() == 1) {
                    return List.of(alone(claims.getFirst(), e));
                }
                log.info("A batch of {} for coupon {} failed on one member ({}); settling its members one by one",
                        claims.size(), coupon.id(), e.getMostSpecificCause().getMessage());
                var outcomes = new ArrayList<IssueOutcome>(claims.size());
                for (var claim : claims) {
                    if (soldOut) {
                        outcomes.add(soldOutAnswer(claim.request()));
                        continue;
                    }
                    try {
                        outcomes.add(settleAndWatch(List.of(claim), Contest.NONE).getFirst());
                    } catch (DataIntegrityViolationException single) {
                        outcomes.add(alone(claim, single));
                    } catch (RuntimeException failure) {
                        // the members settled before this one are committed and keep their answers
                        outcomes.add(failed(failure, 1));
                    }
                }
                return outcomes;
            }
        }

        /** The answer of a member whose own row could not be written; nothing of it was. */
        private IssueOutcome alone(Claim claim, DataIntegrityViolationException e) {
            if (e instanceof DuplicateKeyException duplicate && UserCouponStore.isDuplicateIdempotencyKey(duplicate)) {
                // a concurrent request with the same key committed first, possibly for another coupon
                var replay = userCoupons.replay(coupon.id(), claim.request());
                if (replay.isPresent()) {
                    return replay.get();
                }
            }
            log.warn("Issue of coupon {} for user {} cannot be written: {}", coupon.id(), claim.request().userId(),
                    e.getMostSpecificCause().getMessage());
            return new IssueOutcome.Failed("its grant cannot be written: " + e.getClass().getSimpleName());
        }

        private List<IssueOutcome> settleAndWatch(List<Claim> claims, Contest contest) {
            var settlement = settle(coupon, claims, contest);
            knownRemaining = settlement.remainingAfter();
            if (contest.on()) {
                // the transaction left this instance's row saying what was undecided at its commit
                // (possibly nothing, and then no row): withdrawn for certain once the lane is idle
                published = true;
            }
            if (settlement.remainingAfter() == 0 && !soldOut) {
                // Committed: nothing can be granted any more, so the holders read now are all of them.
                // The settlement's answers are true whatever happens here: a failed read only means
                // the next batch finds stock 0 and tries again.
                try {
                    holders = userCoupons.allHoldings(coupon.id(), settings.soldOutHoldersMax()).orElse(null);
                    soldOut = true;
                } catch (RuntimeException e) {
                    log.warn("Coupon {} sold out, but its holders could not be read yet: {}", coupon.id(), e.getMessage());
                }
            }
            return settlement.outcomes();
        }
    }
}
