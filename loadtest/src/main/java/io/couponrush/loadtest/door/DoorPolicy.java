package io.couponrush.loadtest.door;

import java.util.List;

/**
 * What a member of the crowd does next, from what it has seen so far: the client's behaviour, apart
 * from the HTTP. It presses with the token it has; a 401 before it renewed its token sends it to renew
 * (refresh or login, by the case) and then to press again; a refused refresh sends it to log in, as an
 * app sends its user to the login screen; a 503 or 429 is retried when its {@code Retry-After} says
 * (1 s without one), as long as that is within the client's patience. Everything else is final.
 *
 * <p>Reactive, not proactive: the app does not look at the token's expiry before pressing, it learns of
 * it from the 401. That costs every member one extra round trip (visible in the requests), and makes
 * both cases the same apart from how the new token is had.
 */
final class DoorPolicy {

    /** Requests of one kind per member at most; past it the last answer is final. */
    static final int MAX_ATTEMPTS = 100;

    enum Action { PRESS, REFRESH, LOGIN, DONE }

    /** The next request and how long to wait before it. */
    record Next(Action action, long waitMillis) {

        static final Next DONE = new Next(Action.DONE, 0);

        static Next now(Action action) {
            return new Next(action, 0);
        }
    }

    private DoorPolicy() {
    }

    /**
     * @param steps          everything this member sent so far, in order (never empty: it starts by pressing)
     * @param nowMillis      now, on the steps' clock
     * @param deadlineMillis the member gives up on anything that would start later
     */
    static Next next(DoorCase door, List<Step> steps, long nowMillis, long deadlineMillis) {
        var last = steps.getLast();
        var kind = switch (last.kind()) {
            case PRESS -> Action.PRESS;
            case REFRESH -> Action.REFRESH;
            case LOGIN -> Action.LOGIN;
        };
        if (last.comeBackLater()) {
            long wait = Math.max(1, last.retryAfterSeconds()) * 1000;
            long sameKind = steps.stream().filter(step -> step.kind() == last.kind()).count();
            return nowMillis + wait > deadlineMillis || sameKind >= MAX_ATTEMPTS ? Next.DONE : new Next(kind, wait);
        }
        return switch (last.kind()) {
            case PRESS -> last.status() == 401 && !renewed(steps)
                    ? Next.now(door == DoorCase.REFRESH && !triedRefresh(steps) ? Action.REFRESH : Action.LOGIN)
                    : Next.DONE;
            case REFRESH -> last.ok() ? Next.now(Action.PRESS)
                    // refused (the session ended, reuse): the app asks its user to log in
                    : last.status() >= 400 && last.status() < 500 ? Next.now(Action.LOGIN) : Next.DONE;
            case LOGIN -> last.ok() ? Next.now(Action.PRESS) : Next.DONE;
        };
    }

    /** It holds a token it got after the opening (a 401 now is not about an old token). */
    static boolean renewed(List<Step> steps) {
        return steps.stream().anyMatch(step -> step.kind() != Step.Kind.PRESS && step.ok());
    }

    private static boolean triedRefresh(List<Step> steps) {
        return steps.stream().anyMatch(step -> step.kind() == Step.Kind.REFRESH);
    }
}
