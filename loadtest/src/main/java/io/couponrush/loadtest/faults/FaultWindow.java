package io.couponrush.loadtest.faults;

import java.util.OptionalInt;

/**
 * When the fault was in effect, in milliseconds since the rush began: from the kill or stop until
 * the process answered again (SIGCONT, a restarted server accepting connections). A killed
 * instance never comes back during the run, so its window lasts until the rush is over.
 *
 * @param instance the service instance the fault hit, if it hit one
 */
public record FaultWindow(long startMillis, long endMillis, OptionalInt instance) {

    public FaultWindow {
        if (endMillis < startMillis) {
            throw new IllegalArgumentException("a fault window ends after it starts");
        }
    }

    public boolean overlaps(Attempt attempt) {
        return attempt.sentMillis() <= endMillis && attempt.answeredMillis() >= startMillis;
    }

    public boolean hit(int instanceIndex) {
        return instance.isPresent() && instance.getAsInt() == instanceIndex;
    }
}
