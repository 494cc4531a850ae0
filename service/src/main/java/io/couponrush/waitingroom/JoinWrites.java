package io.couponrush.waitingroom;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Joins written to the database together: the joins that arrive while a write is under way wait for the
 * next one, which inserts all of them in one statement and one commit (group commit, as the issue path's
 * lanes do). When a line opens, thousands join in the same seconds, and one commit each was what the
 * database could not keep up with: the bench's 10,000 joins in 5 s waited up to 10 s for their commits.
 * Each join is still durable before it is answered: its caller waits for the statement that holds it.
 */
@Component
class JoinWrites {

    private static final int MAX_PER_STATEMENT = 500;

    private record Pending(long couponId, long userId, Instant joinedAt, double score, CompletableFuture<Void> done) {
    }

    private final JdbcClient jdbc;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    JoinWrites(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Returns once the entry is committed (or was already there); a failed write is thrown as it was. */
    void write(long couponId, long userId, Instant joinedAt, double score) {
        var pending = new Pending(couponId, userId, joinedAt, score, new CompletableFuture<>());
        queue.add(pending);
        if (draining.compareAndSet(false, true)) {
            Thread.ofVirtual().name("join-writes").start(this::drain);
        }
        try {
            pending.done().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private void drain() {
        var batch = new ArrayList<Pending>(MAX_PER_STATEMENT);
        while (true) {
            batch.clear();
            queue.drainTo(batch, MAX_PER_STATEMENT);
            if (batch.isEmpty()) {
                draining.set(false);
                // a join queued after drainTo but before the flag dropped would wait forever without this
                if (queue.isEmpty() || !draining.compareAndSet(false, true)) {
                    return;
                }
                continue;
            }
            insert(batch);
        }
    }

    private void insert(List<Pending> batch) {
        try {
            var sql = new StringBuilder("INSERT IGNORE INTO queue_entries (coupon_id, user_id, joined_at, score) VALUES ");
            var args = new ArrayList<Object>(batch.size() * 4);
            for (int i = 0; i < batch.size(); i++) {
                var p = batch.get(i);
                sql.append(i == 0 ? "(?, ?, ?, ?)" : ", (?, ?, ?, ?)");
                args.add(p.couponId());
                args.add(p.userId());
                args.add(LocalDateTime.ofInstant(p.joinedAt(), ZoneOffset.UTC));
                args.add(p.score());
            }
            jdbc.sql(sql.toString()).params(args).update();
            batch.forEach(p -> p.done().complete(null));
        } catch (Throwable e) {
            batch.forEach(p -> p.done().completeExceptionally(e));
            if (e instanceof Error error) {
                throw error;
            }
        }
    }
}
