package io.couponrush.auth;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import io.couponrush.user.AccountState;
import io.couponrush.user.UserService;

/**
 * Account reads for authentication, coalesced: the requests that miss the cache while a read is under
 * way wait for the next one, and it reads all their accounts in one {@code IN} query. At the opening of
 * a flash sale every request is a user this instance has not seen yet; one query per request would put
 * a database round trip, and its jitter, between a request's arrival and its turn (I9), and thousands
 * of point reads on the database (the cost model). Like the group-commit lane: a drainer runs while
 * there is work, and exits when the queue is empty.
 */
final class AccountReads {

    private static final int MAX_PER_QUERY = 500;

    private record Pending(long userId, CompletableFuture<Optional<AccountState>> answer) {
    }

    private final UserService users;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final java.util.concurrent.atomic.AtomicLong queries = new java.util.concurrent.atomic.AtomicLong();
    private final AtomicBoolean draining = new AtomicBoolean();

    AccountReads(UserService users) {
        this.users = users;
    }

    /** The account, or empty; a failed read is thrown as it was (a DataAccessException, Dependencies.Unavailable). */
    Optional<AccountState> read(long userId) {
        var pending = new Pending(userId, new CompletableFuture<>());
        queue.add(pending);
        if (draining.compareAndSet(false, true)) {
            Thread.ofVirtual().name("account-reads").start(this::drain);
        }
        try {
            return pending.answer.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Queries run so far (tests count them). */
    long queries() {
        return queries.get();
    }

    /** Reads waiting for the next query (tests watch it). */
    int waiting() {
        return queue.size();
    }

    private void drain() {
        var batch = new ArrayList<Pending>(MAX_PER_QUERY);
        while (true) {
            batch.clear();
            queue.drainTo(batch, MAX_PER_QUERY);
            if (batch.isEmpty()) {
                draining.set(false);
                // a request queued after drainTo but before the flag dropped would wait forever without this
                if (queue.isEmpty() || !draining.compareAndSet(false, true)) {
                    return;
                }
                continue;
            }
            answer(batch);
        }
    }

    private void answer(List<Pending> batch) {
        try {
            var ids = new LinkedHashSet<Long>();
            batch.forEach(p -> ids.add(p.userId()));
            var found = new HashMap<Long, AccountState>();
            queries.incrementAndGet();
            for (var state : users.states(ids)) {
                found.put(state.id(), state);
            }
            batch.forEach(p -> p.answer().complete(Optional.ofNullable(found.get(p.userId()))));
        } catch (Throwable e) {
            batch.forEach(p -> p.answer().completeExceptionally(e));
            if (e instanceof Error error) {
                throw error;
            }
        }
    }
}
