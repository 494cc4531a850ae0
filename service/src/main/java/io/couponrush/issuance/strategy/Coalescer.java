package io.couponrush.issuance.strategy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs concurrent calls for the same key as one: the group-commit pattern, for Redis round trips.
 * While a call for a key is in flight, later ones queue, and the next call takes everything that
 * queued (up to {@code maxBatch}), in arrival order. There is no thread of its own: the caller that
 * finds no call in flight makes it, and when it is done and more have queued, it hands the next call
 * to the first of them and returns with its own answer, so no caller serves others for longer than
 * one round trip. When a call ends with nobody queued, the key's entry is removed: nothing is kept
 * for a key between bursts.
 *
 * <p>The batch function must answer one result per item, in order, and be equivalent to making the
 * calls one after another in that order (a Lua script looping over the items is). If it throws,
 * every caller of that batch gets the exception.
 *
 * @param <I> what one caller asks
 * @param <O> what one caller is answered
 */
final class Coalescer<I, O> {

    @FunctionalInterface
    interface Batch<I, O> {

        List<O> call(long key, List<I> items);
    }

    private final Batch<I, O> batch;
    private final int maxBatch;
    private final Map<Long, Line> lines = new ConcurrentHashMap<>();

    Coalescer(Batch<I, O> batch, int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be positive");
        }
        this.batch = batch;
        this.maxBatch = maxBatch;
    }

    O call(long key, I item) {
        var slot = new Slot<I, O>(item);
        Line line;
        boolean leads;
        while (true) {
            line = lines.computeIfAbsent(key, k -> new Line());
            synchronized (line) {
                if (line.retired) {
                    continue; // emptied and removed after we found it: queue on a fresh one
                }
                line.waiting.add(slot);
                leads = !line.busy;
                line.busy = true;
            }
            break;
        }
        if (leads) {
            run(key, line);
        } else {
            // either a call took this item (result) or the previous call handed the next one to us (turn)
            try {
                CompletableFuture.anyOf(slot.turn, slot.result).join();
            } catch (CompletionException failed) {
                // the batch that took this item failed: answered below, with its cause
            }
            if (!slot.result.isDone()) {
                run(key, line);
            }
        }
        try {
            return slot.result.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
    }

    /** Keys with a call in flight or queued (tests check that nothing stays behind). */
    int activeKeys() {
        return lines.size();
    }

    /** Calls of a key queued behind the one in flight (tests wait for them). */
    int waiting(long key) {
        var line = lines.get(key);
        if (line == null) {
            return 0;
        }
        synchronized (line) {
            return line.waiting.size();
        }
    }

    private void run(long key, Line line) {
        List<Slot<I, O>> taken;
        synchronized (line) {
            taken = new ArrayList<>(Math.min(maxBatch, line.waiting.size()));
            while (taken.size() < maxBatch && !line.waiting.isEmpty()) {
                taken.add(line.waiting.poll());
            }
        }
        try {
            var items = new ArrayList<I>(taken.size());
            for (var slot : taken) {
                items.add(slot.item);
            }
            var results = batch.call(key, items);
            if (results.size() != taken.size()) {
                throw new IllegalStateException("a batch of " + taken.size() + " answered " + results.size());
            }
            for (int i = 0; i < taken.size(); i++) {
                taken.get(i).result.complete(results.get(i));
            }
        } catch (RuntimeException | Error e) {
            for (var slot : taken) {
                slot.result.completeExceptionally(e);
            }
        } finally {
            Slot<I, O> next;
            synchronized (line) {
                next = line.waiting.peek();
                if (next == null) {
                    line.busy = false;
                    line.retired = true;
                    lines.remove(key, line);
                }
            }
            if (next != null) {
                next.turn.complete(null);
            }
        }
    }

    /** The calls of one key: at most one in flight ({@code busy}), the rest waiting in order. */
    private final class Line {

        final ArrayDeque<Slot<I, O>> waiting = new ArrayDeque<>();
        boolean busy;
        boolean retired;
    }

    private static final class Slot<I, O> {

        final I item;
        final CompletableFuture<O> result = new CompletableFuture<>();
        final CompletableFuture<Void> turn = new CompletableFuture<>();

        Slot(I item) {
            this.item = item;
        }
    }
}
