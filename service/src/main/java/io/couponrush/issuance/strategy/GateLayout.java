package io.couponrush.issuance.strategy;

import java.util.ArrayList;
import java.util.List;

import io.couponrush.coupon.CouponTerms;
import org.springframework.data.redis.connection.ClusterSlotHashUtil;

/**
 * Where a coupon's gates are: one, under the hash tag {@code coupon:42}, or {@code n} sub-gates whose tags
 * are chosen so that their hash slots fall in the n equal ranges of the slot space (a cluster's masters hold
 * such ranges when slots are spread evenly, as {@code redis-cli --cluster create} does). A person always asks
 * the same sub-gate ({@link #of}), so each sub-gate keeps its own holders and reservations, and only stock
 * moves between them.
 */
record GateLayout(long couponId, List<String> tags) {

    /** Most sub-gates a coupon may have; also what keeps the coalescing keys apart. */
    static final int MAX_SUB_GATES = CouponTerms.MAX_SUB_GATES;
    /** Redis Cluster's hash slots. */
    private static final int SLOTS = 16_384;

    static GateLayout of(long couponId, int subGates) {
        if (subGates < 1 || subGates > MAX_SUB_GATES) {
            throw new IllegalArgumentException("a coupon has 1 to " + MAX_SUB_GATES + " gates, not " + subGates);
        }
        if (subGates == 1) {
            return new GateLayout(couponId, List.of("coupon:" + couponId));
        }
        var tags = new ArrayList<String>(subGates);
        for (int i = 0; i < subGates; i++) {
            int from = i * SLOTS / subGates;
            int to = (i + 1) * SLOTS / subGates;
            for (int n = 0; ; n++) {
                var tag = "coupon:" + couponId + ":" + i + ":" + n;
                int slot = ClusterSlotHashUtil.calculateSlot(tag);
                if (slot >= from && slot < to) {
                    tags.add(tag);
                    break;
                }
            }
        }
        return new GateLayout(couponId, List.copyOf(tags));
    }

    int size() {
        return tags.size();
    }

    /** The sub-gate a person asks: a mix of the id, so that ids made in sequence spread evenly. */
    int of(long userId) {
        if (tags.size() == 1) {
            return 0;
        }
        long z = userId;
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        z ^= z >>> 33;
        return (int) Long.remainderUnsigned(z, tags.size());
    }

    String gate(int i) {
        return "{" + tags.get(i) + "}:gate";
    }

    String holders(int i) {
        return "{" + tags.get(i) + "}:holders";
    }

    String reservations(int i) {
        return "{" + tags.get(i) + "}:res";
    }

    String pending(int i) {
        return "{" + tags.get(i) + "}:pending";
    }

    List<String> all(int i) {
        return List.of(gate(i), holders(i), reservations(i), pending(i));
    }

    /** The coalescers' key of sub-gate i: coupon ids are far below 2^57. */
    long line(int i) {
        return couponId * MAX_SUB_GATES + i;
    }
}
