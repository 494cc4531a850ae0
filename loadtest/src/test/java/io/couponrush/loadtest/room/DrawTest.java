package io.couponrush.loadtest.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DrawTest {

    /** Bytes 0..31; its SHA-256 and the keys below were computed with Python's hmac and hashlib. */
    private static final byte[] SEED = new byte[32];
    private static final String SEED_HEX;
    private static final String SEED_HASH = "630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd";
    /** Users 1..8 of coupon 42 sorted by their keys as unsigned numbers (2, 3 and 8 have the high bit set). */
    private static final List<Long> ORDER = List.of(1L, 5L, 6L, 4L, 7L, 2L, 3L, 8L);

    static {
        for (int i = 0; i < SEED.length; i++) {
            SEED[i] = (byte) i;
        }
        SEED_HEX = HexFormat.of().formatHex(SEED);
    }

    @Test
    void keysAreTheRuleHmacOfTheSeedAndOrderedUnsigned() {
        assertThat(HexFormat.of().formatHex(Draw.key(SEED, 42, 1)).substring(0, 16)).isEqualTo("08b73e8afebe47c7");
        assertThat(HexFormat.of().formatHex(Draw.key(SEED, 42, 2)).substring(0, 16)).isEqualTo("9d0d68a814139683");
        assertThat(Draw.order(SEED, 42, List.of(8L, 7L, 6L, 5L, 4L, 3L, 2L, 1L))).isEqualTo(ORDER);
        assertThat(Draw.sha256(SEED)).isEqualTo(SEED_HASH);
    }

    @Test
    void aDrawThatKeepsItsCommitmentAndItsRuleHolds() {
        var draw = new Draw(42, SEED_HEX, SEED_HASH, List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), ORDER);

        var verdict = draw.check(SEED_HASH, Set.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L));

        assertThat(verdict.holds()).isTrue();
        assertThat(verdict.entrants()).isEqualTo(8);
        assertThat(verdict.recomputed()).isEqualTo(ORDER);
    }

    @Test
    void anotherSeedAnotherOrderOrOtherEntrantsAreCaught() {
        var everyone = Set.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
        var entrants = List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
        assertThat(new Draw(42, SEED_HEX, SEED_HASH, entrants, ORDER).check("00".repeat(32), everyone).seedCommitted()).isFalse();
        assertThat(new Draw(42, SEED_HEX, SEED_HASH, entrants, List.of(8L, 7L, 6L, 5L, 4L, 3L, 2L, 1L))
                .check(SEED_HASH, everyone).orderMatches()).isFalse();
        assertThat(new Draw(42, SEED_HEX, SEED_HASH, entrants, ORDER).check(SEED_HASH, Set.of(1L, 2L)).entrantsMatch()).isFalse();
        assertThat(new Draw(42, null, SEED_HASH, entrants, ORDER).check(SEED_HASH, everyone).holds()).as("no seed revealed").isFalse();
    }
}
