package io.couponrush.coupon;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * A coupon's waiting room: a line that opens before the window, from which people are admitted at a rate
 * once the window opens; only the admitted may issue, each for one turn.
 *
 * @param mode           {@code FIFO}: the line's order is arrival; {@code RAFFLE}: everyone who joined before
 *                       the window opens is shuffled by a draw whose seed is committed now and revealed at the
 *                       opening, then arrival
 * @param lineOpensAt    from when people may join
 * @param admitPerSecond people admitted per second, across every instance; {@code null} is {@code auto}: as
 *                       many at a time as there are copies left that no one admitted is still pressing for
 * @param turn           how long an admitted person may press before the turn lapses
 * @param seed           {@code RAFFLE}: the draw's secret (never answered before the opening); else {@code null}
 */
public record WaitingRoom(Mode mode, Instant lineOpensAt, Double admitPerSecond, Duration turn, byte[] seed) {

    public enum Mode { FIFO, RAFFLE }

    public boolean auto() {
        return admitPerSecond == null;
    }

    /** SHA-256 of the seed, in hex: published from creation, so the seed cannot be chosen after the entrants are known. */
    public String seedHash() {
        if (seed == null) {
            return null;
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(seed));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The seed in hex once the window has opened (the draw is made), else {@code null}. */
    public String revealedSeed(Instant opensAt, Instant now) {
        return seed == null || now.isBefore(opensAt) ? null : HexFormat.of().formatHex(seed);
    }
}
