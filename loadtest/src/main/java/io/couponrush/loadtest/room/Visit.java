package io.couponrush.loadtest.room;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Everything one person of the crowd sent and got back, in order.
 *
 * @param person      its index in the crowd (also the order its first request was due in)
 * @param userId      its account (the rows' and the line's {@code user_id})
 * @param dueMillis   when its first request was due, milliseconds since the opening (negative: before)
 * @param firstSentMillis when the first request actually went out (later than due if the launcher fell behind)
 */
record Visit(int person, long userId, long dueMillis, long firstSentMillis, List<Exchange> exchanges) {

    /** The states after which a person stops: nothing more will change for it. */
    static final Set<String> FINAL_STATES = Set.of("ISSUED", "LAPSED", "SOLD_OUT", "CLOSED");

    Visit {
        exchanges = List.copyOf(exchanges);
        if (exchanges.isEmpty()) {
            throw new IllegalArgumentException("a visit starts with a request");
        }
    }

    Exchange last() {
        return exchanges.getLast();
    }

    /**
     * Its final answer: {@code ISSUED} (a 201, or the place says so), {@code SOLD_OUT} (the place says so, or a
     * press answered {@code COUPON_SOLD_OUT}), {@code ALREADY_ISSUED}, {@code LAPSED}, {@code CLOSED}; otherwise
     * where it stopped, e.g. {@code gave up: poll 503 OVERLOADED}.
     */
    String outcome() {
        var last = last();
        if (last.kind() == Exchange.Kind.PRESS && last.status() == 201) {
            return "ISSUED";
        }
        if ("COUPON_SOLD_OUT".equals(last.code())) {
            return "SOLD_OUT";
        }
        if ("ALREADY_ISSUED".equals(last.code())) {
            return "ALREADY_ISSUED";
        }
        if (last.state() != null && FINAL_STATES.contains(last.state())) {
            return last.state();
        }
        return "gave up: " + last.kind().label() + " " + last.label();
    }

    /** It knows how its try ended. */
    boolean decided() {
        return !outcome().startsWith("gave up");
    }

    long finalMillis() {
        return last().answeredMillis();
    }

    /** From its first request's due time to its final answer. */
    long waitedMillis() {
        return finalMillis() - dueMillis;
    }

    /** The first wait the service announced with a place in the line: when it was told, and the seconds. */
    record Announced(long atMillis, long seconds) {

        long dueMillis() {
            return atMillis + seconds * 1000;
        }
    }

    /**
     * The first {@code estimatedWaitSeconds} the person was given together with a position: at the join for a
     * fifo line; for a raffle at the first look after the draw (before it, the estimate is only the time until
     * the draw). Empty when none was given (no room, or the first look with a place was already final).
     */
    Optional<Announced> announced() {
        return exchanges.stream()
                .filter(e -> e.kind() != Exchange.Kind.PRESS && e.ok() && "WAITING".equals(e.state()) && e.positioned()
                        && e.estimatedWaitSeconds() >= 0)
                .findFirst().map(e -> new Announced(e.answeredMillis(), e.estimatedWaitSeconds()));
    }

    /** How much later than announced its final answer came (negative: earlier); empty without an announcement. */
    Optional<Long> latenessMillis() {
        return announced().map(a -> finalMillis() - a.dueMillis());
    }

    /** When the place first said ADMITTED (the server's stamp), epoch milliseconds, or -1. */
    long admittedAtMillis() {
        return exchanges.stream().mapToLong(Exchange::admittedAtMillis).filter(at -> at > 0).findFirst().orElse(-1);
    }
}
