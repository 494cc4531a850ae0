package io.couponrush.issuance.strategy;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import io.couponrush.coupon.CouponTerms;
import io.couponrush.coupon.Strategy;
import io.couponrush.infra.Dependencies;
import io.couponrush.issuance.IssueMetrics;
import io.couponrush.issuance.IssueOutcome;
import io.couponrush.issuance.IssueRequest;
import io.couponrush.issuance.Issuer;
import io.couponrush.issuance.UserCouponStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * Turns losers away in Redis, commits winners in the database. One Lua script per request
 * decides admission (window, holder, stock) without touching the database; the admitted few
 * are committed through {@link GroupCommitIssuer} before their 201, each under the row id its
 * reservation named, so anyone can later tell from the database whether it was committed.
 *
 * <p>After a flash sale sells out, every further request costs one Redis round trip. A reservation
 * is settled by its owner when the commit returns, and by any instance's {@link GateSweeper} once
 * its lease is over (owner dead, frozen, or cut off from Redis). If Redis cannot be reached, or its
 * circuit is open, requests go straight to the group-commit path: slower, still exact, because
 * Redis never decides a grant on its own.
 */
@Component
final class RedisGateIssuer implements Issuer {

    private static final Logger log = LoggerFactory.getLogger(RedisGateIssuer.class);

    private final CouponGate gate;
    private final GroupCommitIssuer commit;
    private final UserCouponStore userCoupons;
    private final IssueMetrics metrics;
    private final Dependencies dependencies;
    private final GateSettings settings;
    private final Clock clock;
    private final Map<Long, Watch> watches = new ConcurrentHashMap<>();

    RedisGateIssuer(CouponGate gate, GroupCommitIssuer commit, UserCouponStore userCoupons, IssueMetrics metrics,
            Dependencies dependencies, GateSettings settings, Clock clock) {
        this.gate = gate;
        this.commit = commit;
        this.userCoupons = userCoupons;
        this.metrics = metrics;
        this.dependencies = dependencies;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public Strategy strategy() {
        return Strategy.REDIS_GATE;
    }

    @Override
    public IssueOutcome issue(CouponTerms coupon, IssueRequest request) {
        long reservation = userCoupons.newRowId();
        var now = clock.instant();
        CouponGate.Admission admission;
        try {
            admission = dependencies.redis(() -> gate.admit(coupon, request.userId(), now, reservation,
                    now.plus(settings.reservationLease())));
        } catch (Dependencies.Unavailable | DataAccessException redisDown) {
            metrics.gateBypass();
            log.debug("Redis gate unavailable for coupon {}, settling in the database: {}", coupon.id(), redisDown.getMessage());
            var outcome = commit.issue(coupon, request);
            if (coupon.subGates() > 1 && outcome instanceof IssueOutcome.Issued(var row, var replayed) && !replayed) {
                // the other sub-gates may be up: the copy leaves one of them (docs/strategies.md, sub-gates)
                safely(() -> gate.learnGrantBypassing(coupon, request.userId(), row, request.idempotencyKey()));
            }
            return outcome;
        }
        if (admission.verdict() == CouponGate.Verdict.EXHAUSTED) {
            admission = afterPendingSettle(coupon, request, reservation, admission);
        }
        return switch (admission.verdict()) {
            // The database is at zero, and this user is not among the holders the gate knows. That
            // list can miss a grant (made while Redis was unreachable, committed after its lease was
            // swept, being rebuilt), so the lane answers: from the holders it read once the database
            // reached zero (complete, in memory), or with one batch on an instance that has not seen
            // the zero yet. A holder is never told sold out (I6).
            case SOLD_OUT -> commit.issue(coupon, request);
            case ALREADY_ISSUED -> new IssueOutcome.AlreadyIssued(admission.holder());
            case NOT_OPEN -> IssueOutcome.NOT_OPEN;
            case CLOSED -> IssueOutcome.CLOSED;
            // Not a holder yet and no copy to reserve, but the database has not said zero: reservations
            // stranded by a crash (still pending after the wait), this user's own reservation in
            // flight, or the gate lost again right after its rebuild. The database decides, and
            // grants what is really left.
            case NOT_LOADED, IN_FLIGHT, EXHAUSTED -> straightToDatabase(coupon, request);
            case ADMITTED -> commitAdmitted(coupon, request, reservation, admission.epoch());
        };
    }

    @Override
    public void prepare(CouponTerms coupon) {
        commit.prepare(coupon);
        dependencies.redis(() -> {
            gate.ensureLoaded(coupon); // after a Redis restart too: the gate is back before anyone asks
            return null;
        });
    }

    /**
     * No stock left to admit, but reservations are in flight and the database has not said zero.
     * Normally that is the last batch committing: going to the database now would let this (later)
     * request take a copy an earlier, admitted one is about to commit, on another instance even
     * (first come, first served, I9). So the request waits for the reservations to settle, watching
     * the gate with the other waiters of this coupon (one Redis read per tick for all of them), then
     * asks again: sold out once the database said zero, admitted if a copy came back. Reservations
     * that stay pending past the wait were stranded by a crash; then the database decides.
     */
    private CouponGate.Admission afterPendingSettle(CouponTerms coupon, IssueRequest request, long reservation,
            CouponGate.Admission exhausted) {
        long deadline = System.nanoTime() + settings.exhaustedWait().toNanos();
        var watch = watches.computeIfAbsent(coupon.id(), id -> new Watch(coupon.id()));
        try {
            while (System.nanoTime() < deadline) {
                var state = watch.next(deadline);
                if (state == null) {
                    break;
                }
                if (state.soldOut() || state.stock() > 0 || state.pending() == 0) {
                    // the same row id: an admission that was refused wrote nothing under it, and the
                    // caller commits under the id it holds
                    var now = clock.instant();
                    var again = dependencies.redis(() -> gate.admit(coupon, request.userId(), now, reservation,
                            now.plus(settings.reservationLease())));
                    if (again.verdict() != CouponGate.Verdict.EXHAUSTED || state.pending() == 0) {
                        return again;
                    }
                }
            }
        } catch (Dependencies.Unavailable | DataAccessException e) {
            log.debug("Gate of coupon {} unreadable while waiting: {}", coupon.id(), e.getMessage());
        }
        return exhausted;
    }

    /** Whether a request of this instance has waited for the coupon's reservations to settle (tests watch for it). */
    boolean hasWaitedOn(long couponId) {
        return watches.containsKey(couponId);
    }

    /**
     * Drops the watches whose last tick was before {@code idleBefore} (clock millis). A waiter still
     * holding a dropped watch keeps using it alone; the next waiter of the coupon starts a new one.
     */
    void evictIdle(long idleBefore) {
        watches.values().removeIf(watch -> watch.lastRead < idleBefore);
    }

    int watched() {
        return watches.size();
    }

    /**
     * One reader of a coupon's gate state for all the requests of this instance that wait on it: a
     * tick every few milliseconds while anyone waits, nothing otherwise.
     */
    private final class Watch {

        private static final long TICK_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(5);

        private final long couponId;
        private CompletableFuture<CouponGate.GateState> tick;
        private long tickAt;
        private volatile long lastRead = clock.millis();

        Watch(long couponId) {
            this.couponId = couponId;
        }

        /** The gate's state as read at the next tick, or {@code null} when it could not be read. */
        CouponGate.GateState next(long deadline) {
            lastRead = clock.millis();
            CompletableFuture<CouponGate.GateState> mine;
            boolean reader = false;
            synchronized (this) {
                long now = System.nanoTime();
                if (tick == null || tick.isDone() && now - tickAt >= TICK_NANOS) {
                    tick = new CompletableFuture<>();
                    tickAt = now + TICK_NANOS;
                    reader = true;
                }
                mine = tick;
            }
            if (reader) {
                java.util.concurrent.locks.LockSupport.parkNanos(TICK_NANOS);
                try {
                    mine.complete(dependencies.redis(() -> gate.settling(couponId)));
                } catch (RuntimeException e) {
                    mine.complete(null);
                }
            }
            try {
                return mine.get(Math.max(1, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    private IssueOutcome straightToDatabase(CouponTerms coupon, IssueRequest request) {
        var outcome = commit.issue(coupon, request);
        switch (outcome) {
            case IssueOutcome.Issued(var row, var replayed) when !replayed ->
                    safely(() -> gate.learnGrant(coupon, request.userId(), row, request.idempotencyKey()));
            case IssueOutcome.AlreadyIssued(var holding) ->
                    safely(() -> gate.learnHolding(coupon, request.userId(), holding));
            default -> { }
        }
        if (commit.knownSoldOut(coupon.id())) {
            safely(() -> gate.learnSoldOut(coupon));
        }
        return outcome;
    }

    private IssueOutcome commitAdmitted(CouponTerms coupon, IssueRequest request, long reservation, long epoch) {
        long user = request.userId();
        IssueOutcome outcome;
        try {
            outcome = commit.issueReserved(coupon, request, reservation);
        } catch (RuntimeException e) {
            safely(() -> gate.returned(coupon, user, reservation, epoch));
            throw e;
        }
        switch (outcome) {
            case IssueOutcome.Issued(var row, var replayed) -> {
                if (!replayed) {
                    safely(() -> {
                        if (!gate.granted(coupon, user, reservation, epoch, row, request.idempotencyKey())) {
                            // the reservation was settled without this row (swept while the commit was
                            // slower than its lease, or the gate was rebuilt): the gate learns it as a
                            // grant outside any reservation (a no-op if it knows the row already)
                            gate.learnGrant(coupon, user, row, request.idempotencyKey());
                        }
                    });
                } else {
                    safely(() -> gate.returned(coupon, user, reservation, epoch)); // an earlier grant answered it
                }
            }
            // the user does hold copies (the gate did not know yet): the copy goes back, the gate learns
            case IssueOutcome.AlreadyIssued(var holding) -> safely(() -> gate.held(coupon, user, reservation, epoch, holding));
            // the gate admitted more than the database had (rebuilt while grants were in flight)
            case IssueOutcome.SoldOut _ -> safely(() -> gate.soldOut(coupon, user, reservation, epoch));
            // the commit may have landed: the reservation stays, and the sweeper settles it from the
            // database once its lease is over
            case IssueOutcome.Unsettled _ -> { }
            default -> safely(() -> gate.returned(coupon, user, reservation, epoch));
        }
        if (commit.knownSoldOut(coupon.id()) && !(outcome instanceof IssueOutcome.SoldOut)) {
            safely(() -> gate.learnSoldOut(coupon));
        }
        return outcome;
    }

    /**
     * A gate write that cannot reach Redis leaves a reservation unsettled: its lease runs out and a
     * sweeper settles it from the database. It can never cause an oversell, so it is logged, not raised.
     */
    private void safely(Runnable gateWrite) {
        try {
            dependencies.redis(() -> {
                gateWrite.run();
                return null;
            });
        } catch (Dependencies.Unavailable | DataAccessException e) {
            log.debug("Could not settle with the Redis gate now (its sweeper will): {}", e.getMessage());
        }
    }
}
