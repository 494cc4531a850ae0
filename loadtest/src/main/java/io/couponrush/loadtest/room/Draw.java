package io.couponrush.loadtest.room;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A raffle's published draw ({@code GET /api/v1/coupons/{id}/queue/draw}), checked with the harness's own code
 * by the rule it publishes: each entrant's key is {@code HMAC-SHA256(key = seed bytes, message =
 * "couponrush-raffle:<couponId>:<userId>")}, the order ascending by that key read as an unsigned big-endian
 * number; the seed's SHA-256 is the hash published when the coupon was created.
 */
record Draw(long couponId, String seedHex, String seedHash, List<Long> entrants, List<Long> order) {

    Draw {
        entrants = List.copyOf(entrants);
        order = List.copyOf(order);
    }

    /** The entrant's key under the seed. */
    static byte[] key(byte[] seed, long couponId, long userId) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(seed, "HmacSHA256"));
            return mac.doFinal(("couponrush-raffle:" + couponId + ":" + userId).getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The entrants in the draw's order, recomputed from the seed. */
    static List<Long> order(byte[] seed, long couponId, Collection<Long> entrants) {
        record Keyed(long user, byte[] key) {
        }
        var keyed = new ArrayList<Keyed>(entrants.size());
        for (long user : entrants) {
            keyed.add(new Keyed(user, key(seed, couponId, user)));
        }
        keyed.sort(Comparator.comparing(Keyed::key, Arrays::compareUnsigned));
        return keyed.stream().map(Keyed::user).toList();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param seedCommitted the revealed seed's SHA-256 is the hash published at creation
     * @param orderMatches  the published order is the one recomputed here from the seed and the entrants
     * @param entrantsMatch the published entrants are exactly the people the database has joining before the
     *                      opening
     * @param recomputed    the order as recomputed here
     */
    record Verdict(boolean seedCommitted, boolean orderMatches, boolean entrantsMatch, int entrants, List<Long> recomputed) {

        boolean holds() {
            return seedCommitted && orderMatches && entrantsMatch;
        }
    }

    /**
     * @param committedHash the {@code seedHash} answered when the coupon was created
     * @param joinedBefore  who the database says joined before the opening
     */
    Verdict check(String committedHash, Set<Long> joinedBefore) {
        byte[] seed;
        try {
            seed = HexFormat.of().parseHex(seedHex == null ? "" : seedHex);
        } catch (IllegalArgumentException notHex) {
            seed = new byte[0];
        }
        boolean committed = seed.length > 0 && sha256(seed).equalsIgnoreCase(committedHash)
                && committedHash.equalsIgnoreCase(seedHash);
        var recomputed = seed.length == 0 ? List.<Long>of() : order(seed, couponId, entrants);
        return new Verdict(committed, !recomputed.isEmpty() && recomputed.equals(order),
                new HashSet<>(entrants).equals(joinedBefore) && entrants.size() == joinedBefore.size(), entrants.size(),
                recomputed);
    }
}
