package io.couponrush.issuance.strategy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import io.couponrush.coupon.CouponTerms;
import io.couponrush.coupon.Strategy;
import io.couponrush.issuance.IssueOutcome;
import io.couponrush.issuance.Issuer;
import io.couponrush.issuance.UserCouponStore;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Group commit on the hot row: requests for one coupon queue up, and one transaction settles
 * everything queued (lock the row, find who already holds, grant min(remaining, eligible) in
 * arrival order, one multi-row INSERT, one UPDATE, commit), then every caller is answered.
 *
 * <p>The row lock is held for one batch instead of one request, so a hot coupon costs a handful
 * of round trips and one commit per batch, not per request. A new batch starts the moment the
 * previous commit returns, so batches grow with load and shrink to one request when it is quiet.
 * Across instances the row lock serializes batches exactly as it serializes single requests.
 * Callers are answered only after the commit (I3); a failed transaction fails the whole batch
 * and leaves nothing (I4). Once the database says the coupon is sold out, later requests are
 * answered from memory: stock in the database only ever goes down.
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
    private final TransactionTemplate transaction;
    private final UserCouponStore userCoupons;
    private final BatchSettings settings;
    private final DistributionSummary batchSizes;
    private final Map<Long, Lane> lanes = new ConcurrentHashMap<>();

    GroupCommitIssuer(JdbcClient jdbc, TransactionTemplate issueTransaction, UserCouponStore userCoupons,
            BatchSettings settings, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.transaction = issueTransaction;
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
    public IssueOutcome issue(CouponTerms coupon, long userId) {
        var lane = lanes.computeIfAbsent(coupon.id(), id -> new Lane(coupon));
        if (lane.soldOut) {
            return IssueOutcome.SOLD_OUT;
        }
        var request = new Pending(userId, new CompletableFuture<>());
        if (!lane.queue.offer(request)) {
            return IssueOutcome.OVERLOADED;
        }
        lane.kick();
        // No timeout of our own: the answer may only be given once the batch's fate is known.
        // Every wait below is bounded (pool timeout, lock wait timeout), and the drain loop
        // completes every request it takes, whatever happens.
        return request.answer.join();
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

    /**
     * Settles one batch in one transaction and answers each request in order. Package-private
     * so tests can hand it an exact batch.
     */
    Settlement settle(CouponTerms coupon, List<Long> userIds) {
        return transaction.execute(tx -> {
            int remaining = jdbc.sql(LOCK_ROW).param(coupon.id()).query(Integer.class).single();
            // heldCounts answers a fresh map; the loop below counts this batch's grants into it
            var held = coupon.unlimitedPerUser() ? new java.util.HashMap<Long, Integer>()
                    : userCoupons.heldCounts(coupon.id(), new LinkedHashSet<>(userIds));
            var outcomes = new ArrayList<IssueOutcome>(userIds.size());
            var grants = new ArrayList<UserCouponStore.Grant>();
            var grantIndex = new ArrayList<Integer>();
            for (long userId : userIds) {
                int holds = held.getOrDefault(userId, 0);
                if (!coupon.unlimitedPerUser() && holds >= coupon.perUserLimit()) {
                    outcomes.add(IssueOutcome.ALREADY_ISSUED);
                } else if (grants.size() >= remaining) {
                    outcomes.add(IssueOutcome.SOLD_OUT);
                } else {
                    held.put(userId, holds + 1);
                    grants.add(new UserCouponStore.Grant(userId, coupon.unlimitedPerUser() ? null : holds + 1));
                    grantIndex.add(outcomes.size());
                    outcomes.add(null); // filled in once the rows exist
                }
            }
            if (!grants.isEmpty()) {
                var issued = userCoupons.insertAll(coupon.id(), grants);
                // Conditional even under the row lock: if anything ever let two batches through at
                // once, this matches no row and the whole batch rolls back instead of overselling.
                int updated = jdbc.sql(TAKE_MANY).params(grants.size(), coupon.id(), grants.size()).update();
                if (updated != 1) {
                    throw new IllegalStateException("stock of coupon " + coupon.id() + " changed under the row lock");
                }
                for (int i = 0; i < issued.size(); i++) {
                    outcomes.set(grantIndex.get(i), new IssueOutcome.Issued(issued.get(i)));
                }
            }
            return new Settlement(outcomes, remaining - grants.size());
        });
    }

    /** A batch's answers, in request order, and the stock its commit left. */
    record Settlement(List<IssueOutcome> outcomes, int remainingAfter) {
    }

    private record Pending(long userId, CompletableFuture<IssueOutcome> answer) {
    }

    /** One coupon's queue and the loop that drains it; the loop exits when the queue is empty. */
    private final class Lane {

        private final CouponTerms coupon;
        private final ArrayBlockingQueue<Pending> queue;
        private final AtomicBoolean draining = new AtomicBoolean();
        private volatile boolean soldOut;

        Lane(CouponTerms coupon) {
            this.coupon = coupon;
            this.queue = new ArrayBlockingQueue<>(settings.maxQueue());
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
            while (true) {
                batch.clear();
                queue.drainTo(batch, settings.maxBatch());
                if (batch.isEmpty()) {
                    draining.set(false);
                    // A request queued after drainTo but before the flag dropped would wait forever
                    // without this second look.
                    if (queue.isEmpty() || !draining.compareAndSet(false, true)) {
                        return;
                    }
                    continue;
                }
                answer(batch);
            }
        }

        private void answer(List<Pending> batch) {
            List<IssueOutcome> outcomes = null;
            try {
                if (soldOut) {
                    outcomes = batch.stream().map(p -> IssueOutcome.SOLD_OUT).toList();
                    return;
                }
                batchSizes.record(batch.size());
                var settlement = settle(coupon, batch.stream().map(Pending::userId).toList());
                outcomes = settlement.outcomes();
                soldOut = settlement.remainingAfter() == 0;
            } catch (CannotCreateTransactionException | DataAccessResourceFailureException | QueryTimeoutException
                    | TransientDataAccessResourceException e) {
                log.debug("Group commit for coupon {} shed a batch of {}: {}", coupon.id(), batch.size(), e.getMessage());
                outcomes = batch.stream().map(p -> IssueOutcome.OVERLOADED).toList();
            } catch (RuntimeException e) {
                log.warn("Group commit for coupon {} failed a batch of {}: {}", coupon.id(), batch.size(), e.getMessage());
                var failed = new IssueOutcome.Failed("batch rolled back: " + e.getClass().getSimpleName());
                outcomes = batch.stream().map(p -> (IssueOutcome) failed).toList();
            } finally {
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).answer.complete(outcomes == null
                            ? new IssueOutcome.Failed("batch aborted") : outcomes.get(i));
                }
            }
        }
    }
}
