package io.couponrush.issuance;

import io.couponrush.web.ErrorCode;

/** How one issue request ended. Strategies return these; only {@link IssuanceController} turns them into HTTP. */
public sealed interface IssueOutcome {

    IssueOutcome SOLD_OUT = new SoldOut();
    IssueOutcome NOT_OPEN = new NotOpen();
    IssueOutcome CLOSED = new Closed();
    IssueOutcome NOT_FOUND = new NotFound();
    IssueOutcome LOCK_TIMEOUT = new LockTimeout();
    IssueOutcome CONTENTION = new Contention();
    IssueOutcome OVERLOADED = new Overloaded();
    IssueOutcome UNSETTLED = new Unsettled();

    /** The stable code reported in metrics and in problem answers. */
    default String code() {
        return switch (this) {
            case Issued _ -> "ISSUED";
            case SoldOut _ -> ErrorCode.COUPON_SOLD_OUT.name();
            case AlreadyIssued _ -> ErrorCode.ALREADY_ISSUED.name();
            case NotOpen _ -> ErrorCode.ISSUE_NOT_OPEN.name();
            case Closed _ -> ErrorCode.ISSUE_CLOSED.name();
            case NotFound _ -> ErrorCode.COUPON_NOT_FOUND.name();
            case LockTimeout _ -> ErrorCode.LOCK_TIMEOUT.name();
            case Contention _ -> ErrorCode.CONTENTION.name();
            case Overloaded _, Unsettled _ -> ErrorCode.OVERLOADED.name();
            case KeyReused _ -> ErrorCode.IDEMPOTENCY_KEY_REUSED.name();
            case Failed _ -> ErrorCode.INTERNAL_ERROR.name();
            case NotAdmitted _ -> ErrorCode.NOT_ADMITTED.name();
        };
    }

    /**
     * A committed grant (I3).
     *
     * @param replayed the grant was made by an earlier request with the same {@code Idempotency-Key}
     */
    record Issued(IssuedCoupon coupon, boolean replayed) implements IssueOutcome {

        public Issued(IssuedCoupon coupon) {
            this(coupon, false);
        }
    }

    record SoldOut() implements IssueOutcome {
    }

    /**
     * This request got no copy, and the user holds committed copies of the coupon (I6: never told
     * sold out). Carries what the user holds, so a client whose 201 was lost learns what it got.
     */
    record AlreadyIssued(Holding holding) implements IssueOutcome {

        public AlreadyIssued {
            if (holding == null || holding.copies() < 1) {
                throw new IllegalArgumentException("ALREADY_ISSUED needs a committed grant");
            }
        }
    }

    record NotOpen() implements IssueOutcome {
    }

    record Closed() implements IssueOutcome {
    }

    record NotFound() implements IssueOutcome {
    }

    /** Gave up waiting for a lock (database row lock or Redis lock); nothing was written. */
    record LockTimeout() implements IssueOutcome {
    }

    /** Optimistic retries ran out; nothing was written. */
    record Contention() implements IssueOutcome {
    }

    /** Shed before any work: queue full, no connection in time, a dependency known to be down; nothing was written. */
    record Overloaded() implements IssueOutcome {
    }

    /**
     * The commit was sent and its answer was lost (the connection broke): the grant may or may not
     * exist. Answered 503 like {@link Overloaded}, but without claiming that nothing was written; asking
     * again (with the same {@code Idempotency-Key}) tells the client what it got.
     */
    record Unsettled() implements IssueOutcome {
    }

    /** The {@code Idempotency-Key} already names this user's grant of another coupon; nothing was written. */
    record KeyReused(long otherCouponId) implements IssueOutcome {
    }

    /**
     * The coupon has a waiting room and this person has no turn now (waiting, lapsed, not in line); nothing
     * was written. {@code place} is what the room says of them, for the answer.
     */
    record NotAdmitted(Admissions.Place place) implements IssueOutcome {
    }

    /** The transaction failed (deadlock, database error); it was rolled back, nothing was written. */
    record Failed(String reason) implements IssueOutcome {
    }
}
