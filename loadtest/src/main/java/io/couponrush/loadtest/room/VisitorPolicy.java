package io.couponrush.loadtest.room;

import java.util.List;

/**
 * What a person of the crowd does next, from what it has seen so far: the client's behaviour, apart from the
 * HTTP. With the room off it presses, and presses again when told to come back (503, 429: after
 * {@code Retry-After}, 1 s without one). With the room on it joins, then acts on its place: WAITING, look again
 * when {@code Retry-After} says; ADMITTED, press; ISSUED, LAPSED, SOLD_OUT, CLOSED: stop. A press refused as
 * {@code NOT_ADMITTED} carries a place and is treated as one. A request without an answer is sent again after a
 * second (a join, a look and a keyed press are all safe to repeat). Everything within the person's patience.
 */
final class VisitorPolicy {

    /** Requests of one kind per person at most; past it the last answer is final. */
    static final int MAX_ATTEMPTS = 200;

    enum Action { JOIN, POLL, PRESS, DONE }

    /** The next request and how long to wait before sending it. */
    record Next(Action action, long waitMillis) {

        static final Next DONE = new Next(Action.DONE, 0);

        static Next now(Action action) {
            return new Next(action, 0);
        }
    }

    private VisitorPolicy() {
    }

    /** The first request: a press without a room, a join with one. */
    static Action first(boolean room) {
        return room ? Action.JOIN : Action.PRESS;
    }

    /**
     * @param exchanges      everything this person sent so far, in order (never empty)
     * @param nowMillis      now, on the exchanges' clock
     * @param deadlineMillis the person gives up on anything that would start later
     */
    static Next next(List<Exchange> exchanges, long nowMillis, long deadlineMillis) {
        var last = exchanges.getLast();
        var again = action(last.kind());
        if (last.comeBackLater()) {
            long wait = Math.max(1, last.retryAfterSeconds()) * 1000;
            long sameKind = exchanges.stream().filter(e -> e.kind() == last.kind()).count();
            return nowMillis + wait > deadlineMillis || sameKind >= MAX_ATTEMPTS ? Next.DONE : new Next(again, wait);
        }
        if (last.status() == 0) {
            return Next.DONE; // cut off
        }
        var next = switch (last.kind()) {
            case JOIN, POLL -> last.ok() ? byPlace(last) : Next.DONE;
            case PRESS -> last.status() == 201 ? Next.DONE
                    : "NOT_ADMITTED".equals(last.code()) && last.state() != null
                            // told ADMITTED by the look, not admitted by the press: the turn is on its way; look again
                            ? "ADMITTED".equals(last.state()) ? new Next(Action.POLL, 1_000) : byPlace(last)
                            : Next.DONE;
        };
        if (next.action() == Action.DONE) {
            return next;
        }
        long sameKind = exchanges.stream().filter(e -> e.kind() == kind(next.action())).count();
        return nowMillis + next.waitMillis() > deadlineMillis || sameKind >= MAX_ATTEMPTS ? Next.DONE : next;
    }

    private static Next byPlace(Exchange place) {
        var state = place.state() == null ? "" : place.state();
        return switch (state) {
            case "WAITING" -> new Next(Action.POLL, Math.max(1, place.retryAfterSeconds()) * 1000);
            case "ADMITTED" -> Next.now(Action.PRESS);
            default -> Next.DONE; // ISSUED, LAPSED, SOLD_OUT, CLOSED, or a state this client does not know
        };
    }

    private static Action action(Exchange.Kind kind) {
        return switch (kind) {
            case JOIN -> Action.JOIN;
            case POLL -> Action.POLL;
            case PRESS -> Action.PRESS;
        };
    }

    private static Exchange.Kind kind(Action action) {
        return switch (action) {
            case JOIN -> Exchange.Kind.JOIN;
            case POLL -> Exchange.Kind.POLL;
            case PRESS, DONE -> Exchange.Kind.PRESS;
        };
    }
}
