package io.couponrush.loadtest.redemption;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A storm of checkouts: {@code concurrency} copies in flight at a time (closed model: the next copy starts when
 * one is done), and on each copy its {@link Checkout}s start at the same instant, checkout <i>j</i> of copy
 * <i>i</i> on instance <i>(i + j)</i> mod the instance count (a double click's second request on the next one),
 * so the orders racing for a copy race across instances. Every call goes to the ledger.
 */
final class Storm {

    /** A copy to spend: its id and its holder. */
    record Copy(long id, long userId) {
    }

    private final int instances;
    private final int concurrency;

    Storm(int instances, int concurrency) {
        this.instances = instances;
        this.concurrency = concurrency;
    }

    /**
     * Runs every copy's checkouts; the plan is drawn from {@code seed}, so a run can be repeated. The order ids
     * start with {@code tag}.
     */
    Ledger run(OrderSystem system, List<Copy> copies, String tag, long seed) throws InterruptedException {
        var random = new SplittableRandom(seed);
        var plans = new ArrayList<List<Checkout>>(copies.size());
        copies.forEach(copy -> plans.add(Checkout.plan(random, tag, copy.id())));
        var ledger = new Ledger();
        var slots = new Semaphore(concurrency);
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < copies.size(); i++) {
                slots.acquire();
                var copy = copies.get(i);
                var plan = plans.get(i);
                int first = i % instances;
                executor.execute(() -> {
                    try {
                        race(system, copy, plan, first, ledger);
                    } finally {
                        slots.release();
                    }
                });
            }
        }
        return ledger;
    }

    private void race(OrderSystem system, Copy copy, List<Checkout> plan, int first, Ledger ledger) {
        var go = new CountDownLatch(1);
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int j = 0; j < plan.size(); j++) {
                var checkout = plan.get(j);
                int instance = (first + j) % instances;
                executor.execute(() -> {
                    try {
                        go.await(); // the orders of one copy start together: that is the race
                    } catch (InterruptedException e) {
                        return;
                    }
                    checkout(system, copy, checkout, instance, ledger);
                });
            }
            go.countDown();
        }
    }

    private void checkout(OrderSystem system, Copy copy, Checkout checkout, int instance, Ledger ledger) {
        var order = checkout.orderId();
        boolean reserved = send(checkout, instance, ledger, at -> system.reserve(at, copy.id(), copy.userId(), order));
        if (!reserved) {
            return;
        }
        if (checkout.ending() == Checkout.Ending.CANCEL_BEFORE_CONFIRM) {
            send(checkout, instance, ledger, at -> system.cancel(at, copy.id(), order));
            return;
        }
        boolean confirmed = send(checkout, instance, ledger, at -> system.confirm(at, copy.id(), order));
        if (confirmed && checkout.ending() == Checkout.Ending.CANCEL_AFTER_CONFIRM) {
            send(checkout, instance, ledger, at -> system.cancel(at, copy.id(), order));
        }
    }

    /** One request of the checkout (twice at once on a double click, the twin on the next instance): any 200. */
    private boolean send(Checkout checkout, int instance, Ledger ledger, Function<Integer, Call> request) {
        if (!checkout.doubleClick()) {
            var call = request.apply(instance);
            ledger.add(call);
            return call.ok();
        }
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            var one = executor.submit(() -> request.apply(instance));
            var two = executor.submit(() -> request.apply((instance + 1) % instances));
            boolean ok = false;
            for (var future : List.of(one, two)) {
                var call = future.get(5, TimeUnit.MINUTES);
                ledger.add(call);
                ok |= call.ok();
            }
            return ok;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }
}
