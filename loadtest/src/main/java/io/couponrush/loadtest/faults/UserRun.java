package io.couponrush.loadtest.faults;

import java.util.List;

/** Everything one client sent and got back for its one issue, in order (the first request, then its retries). */
public record UserRun(long userId, List<Attempt> attempts) {

    public UserRun {
        attempts = List.copyOf(attempts);
    }

    /** The answer the client was left with; {@code null} if it never sent anything. */
    public Attempt last() {
        return attempts.isEmpty() ? null : attempts.getLast();
    }

    public boolean finalAnswerDefined() {
        return last() != null && last().defined();
    }

    public boolean everAlreadyIssued() {
        return attempts.stream().anyMatch(Attempt::alreadyIssued);
    }

    public boolean everSoldOut() {
        return attempts.stream().anyMatch(Attempt::soldOut);
    }

    /** Every request was refused outright: the service said, each time, that nothing was issued. */
    public boolean onlyRefused() {
        return !attempts.isEmpty() && attempts.stream().allMatch(Attempt::definiteRefusal);
    }
}
