package io.couponrush.live;

import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Coupon id to counters, read on every issue request. A {@code Map<Long, …>} would box the id on each
 * lookup; this is an open-addressing table on primitive {@code long} keys, read without locks or
 * allocation. Writes (a coupon's first answer, an eviction pass) are rare: they build a new table under
 * a lock and publish it with one volatile write, so a reader always sees a complete table.
 */
final class CounterTable {

    private record Table(long[] keys, CouponCounters[] values, int size) {

        static Table empty(int capacity) {
            return new Table(new long[capacity], new CouponCounters[capacity], 0);
        }
    }

    private volatile Table table = Table.empty(16);

    CouponCounters get(long key) {
        var t = table;
        int mask = t.keys.length - 1;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            var value = t.values[i];
            if (value == null) {
                return null;
            }
            if (t.keys[i] == key) {
                return value;
            }
        }
    }

    int size() {
        return table.size;
    }

    /** Every coupon's counters at this moment (a snapshot: counters added meanwhile may be missed). */
    void forEach(java.util.function.Consumer<CouponCounters> action) {
        for (var value : table.values) {
            if (value != null) {
                action.accept(value);
            }
        }
    }

    /** The counters of {@code key}, made if absent and fewer than {@code max} exist; otherwise {@code null}. */
    synchronized CouponCounters getOrCreate(long key, int max, Function<Long, CouponCounters> create) {
        var existing = get(key);
        if (existing != null) {
            return existing;
        }
        var t = table;
        if (t.size >= max) {
            return null;
        }
        var made = create.apply(key);
        // keep the load at most one half, so probes stay short
        int capacity = t.keys.length;
        while ((t.size + 1) * 2 > capacity) {
            capacity *= 2;
        }
        var next = Table.empty(capacity);
        var grown = copy(t, next, v -> true);
        put(grown.keys, grown.values, key, made);
        table = new Table(grown.keys, grown.values, grown.size + 1);
        return made;
    }

    /** Keeps only the counters {@code keep} accepts. */
    synchronized void retain(Predicate<CouponCounters> keep) {
        var t = table;
        int capacity = 16;
        while (t.size * 2 > capacity) {
            capacity *= 2;
        }
        table = copy(t, Table.empty(capacity), keep);
    }

    private static Table copy(Table from, Table to, Predicate<CouponCounters> keep) {
        int size = 0;
        for (int i = 0; i < from.values.length; i++) {
            var value = from.values[i];
            if (value != null && keep.test(value)) {
                put(to.keys, to.values, from.keys[i], value);
                size++;
            }
        }
        return new Table(to.keys, to.values, size);
    }

    private static void put(long[] keys, CouponCounters[] values, long key, CouponCounters value) {
        int mask = keys.length - 1;
        int i = slot(key, mask);
        while (values[i] != null) {
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L; // ids are sequential: spread them over the table
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
