package io.couponrush.loadtest.redemption;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Every call of a storm and what the order systems were told: the harness's own books, kept apart from the
 * service's. A copy is spent by an order that was told its confirm succeeded ({@code 200 USED}) and not told
 * afterwards that its cancel succeeded (the copy given back). Spent by two orders at once is spent twice: two
 * shoppers got the discount of one copy.
 */
final class Ledger {

    private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());

    void add(Call call) {
        calls.add(call);
    }

    List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /** Per copy, the orders that hold it spent at the end. */
    Map<Long, Set<String>> spenders() {
        var confirmed = new HashMap<Long, Map<String, Long>>(); // copy -> order -> when its first 200 confirm was answered
        var cancels = new HashMap<Long, List<Call>>(); // copy -> its successful cancels
        for (var call : calls()) {
            if (call.ok() && call.op() == Call.Op.CONFIRM) {
                confirmed.computeIfAbsent(call.copy(), c -> new HashMap<>()).merge(call.orderId(), call.answeredMillis(), Math::min);
            } else if (call.ok() && call.op() == Call.Op.CANCEL) {
                cancels.computeIfAbsent(call.copy(), c -> new ArrayList<>()).add(call);
            }
        }
        var spenders = new HashMap<Long, Set<String>>();
        confirmed.forEach((copy, orders) -> orders.forEach((order, at) -> {
            boolean givenBack = cancels.getOrDefault(copy, List.of()).stream()
                    .anyMatch(c -> c.orderId().equals(order) && c.sentMillis() >= at);
            if (!givenBack) {
                spenders.computeIfAbsent(copy, c -> new TreeSet<>()).add(order);
            }
        }));
        return spenders;
    }

    /** Copies spent by more than one order at the end. */
    long spentTwice() {
        return spenders().values().stream().filter(orders -> orders.size() > 1).count();
    }

    /** Copies spent by at least one order at the end. */
    long spent() {
        return spenders().values().stream().filter(orders -> !orders.isEmpty()).count();
    }

    /** Copies with a call whose effect is unknown (no answer, 5xx). */
    Set<Long> ambiguous() {
        var out = new HashSet<Long>();
        calls().stream().filter(Call::ambiguous).forEach(call -> out.add(call.copy()));
        return out;
    }

    SortedMap<String, Integer> answers(Call.Op op) {
        var counts = new TreeMap<String, Integer>();
        calls().stream().filter(call -> call.op() == op).forEach(call -> counts.merge(call.label(), 1, Integer::sum));
        return Collections.unmodifiableSortedMap(counts);
    }

    /**
     * The copies where the database disagrees with what the order systems were told: a copy used in the database
     * by an order no one was told spent it, or a copy told spent that the database does not have used by one of its
     * spenders. Copies with an ambiguous call are left out.
     *
     * @param usedBy per copy of the coupon, the order the database has it used by ({@code null}: not used)
     */
    long disagreements(Map<Long, String> usedBy) {
        var spenders = spenders();
        var unknown = ambiguous();
        long count = 0;
        for (var row : usedBy.entrySet()) {
            if (unknown.contains(row.getKey())) {
                continue;
            }
            var told = spenders.getOrDefault(row.getKey(), Set.of());
            boolean agrees = row.getValue() == null ? told.isEmpty() : told.contains(row.getValue());
            if (!agrees) {
                count++;
            }
        }
        return count;
    }
}
