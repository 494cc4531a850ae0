package io.couponrush.issuance;

import io.couponrush.web.ErrorCode;

/** How one issue request ended. Strategies return these; only {@link IssuanceController} turns them into HTTP. */
public sealed interface IssueOutcome {

    IssueOutcome SOLD_OUT = new SoldOut();
    IssueOutcome ALREADY_ISSUED = new AlreadyIssued();
    IssueOutcome NOT_OPEN = new NotOpen();
    IssueOutcome CLOSED = new Closed();
    IssueOutcome NOT_FOUND = new NotFound();
    IssueOutcome LOCK_TIMEOUT = new LockTimeout();
    IssueOutcome CONTENTION = new Contention();
    IssueOutcome OVERLOADED = new Overloaded();

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
            case Overloaded _ -> ErrorCode.OVERLOADED.name();
            case Failed _ -> ErrorCode.INTERNAL_ERROR.name();
        };
    }

    record Issued(IssuedCoupon coupon) implements IssueOutcome {
    }

    record SoldOut() implements IssueOutcome {
    }

    record AlreadyIssued() implements IssueOutcome {
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

    /** Shed before any work: queue full or no connection in time; nothing was written. */
    record Overloaded() implements IssueOutcome {
    }

    /** The transaction failed (deadlock, database error); it was rolled back, nothing was written. */
    record Failed(String reason) implements IssueOutcome {
    }
}
