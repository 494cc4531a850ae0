package io.couponrush.waitingroom;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.couponrush.infra.Dependencies;
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
    private final Duration wait;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    JoinWrites(JdbcClient jdbc, WaitingRoomSettings settings) {
        this.jdbc = jdbc;
        this.wait = settings.joinWriteWait();
    }

    /**
     * Returns once the entry is committed (or was already there); a failed write is thrown as it was, and one
     * not committed within {@code join-write-wait} as {@link Dependencies.Unavailable} (it may still land: a
     * join is written once whatever the retries, so the person's retry answers the same place).
     */
    void write(long couponId, long userId, Instant joinedAt, double score) {
        var pending = new Pending(couponId, userId, joinedAt, score, new CompletableFuture<>());
        queue.add(pending);
        if (draining.compareAndSet(false, true)) {
            try {
                Thread.ofVirtual().name("join-writes").start(this::drain);
            } catch (RuntimeException | Error e) {
                draining.set(false); // or every later join would wait for a drain that never started
                throw e;
            }
        }
        try {
            pending.done().get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case RuntimeException cause -> throw cause;
                case Error cause -> throw cause;
                default -> throw new CompletionException(e.getCause());
            }
        } catch (TimeoutException e) {
            throw new Dependencies.Unavailable("database (a join was not committed within " + wait.toMillis() + " ms)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Dependencies.Unavailable("database (interrupted while a join was committed)");
        }
    }

    private void drain() {
        boolean owner = true;
        try {
            var batch = new ArrayList<Pending>(MAX_PER_STATEMENT);
            while (true) {
                batch.clear();
                queue.drainTo(batch, MAX_PER_STATEMENT);
                if (batch.isEmpty()) {
                    draining.set(false);
                    owner = false;
                    // a join queued after drainTo but before the flag dropped would wait forever without this
                    if (queue.isEmpty() || !draining.compareAndSet(false, true)) {
                        return;
                    }
                    owner = true;
                    continue;
                }
                insert(batch);
            }
        } finally {
            if (owner) {
                // left by an error: the next join starts a drain, instead of every join waiting for this one
                draining.set(false);
            }
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
