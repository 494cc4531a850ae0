package io.couponrush.live;

import java.util.List;

import io.couponrush.issuance.IssueOutcome;

/**
 * The outcome codes the feed counts, in a fixed order, so a request's outcome becomes an array index
 * without a map lookup or an allocation on the issue path.
 */
final class OutcomeCodes {

    static final List<String> ALL = List.of("ISSUED", "COUPON_SOLD_OUT", "ALREADY_ISSUED", "ISSUE_NOT_OPEN",
            "ISSUE_CLOSED", "COUPON_NOT_FOUND", "LOCK_TIMEOUT", "CONTENTION", "OVERLOADED", "IDEMPOTENCY_KEY_REUSED",
            "INTERNAL_ERROR", "NOT_ADMITTED");

    static final int COUNT = ALL.size();

    private OutcomeCodes() {
    }

    /** Exhaustive over the sealed outcomes: a new outcome does not compile until it has a place here. */
    static int index(IssueOutcome outcome) {
        return switch (outcome) {
            case IssueOutcome.Issued _ -> 0;
            case IssueOutcome.SoldOut _ -> 1;
            case IssueOutcome.AlreadyIssued _ -> 2;
            case IssueOutcome.NotOpen _ -> 3;
            case IssueOutcome.Closed _ -> 4;
            case IssueOutcome.NotFound _ -> 5;
            case IssueOutcome.LockTimeout _ -> 6;
            case IssueOutcome.Contention _ -> 7;
            case IssueOutcome.Overloaded _, IssueOutcome.Unsettled _ -> 8;
            case IssueOutcome.KeyReused _ -> 9;
            case IssueOutcome.Failed _ -> 10;
            case IssueOutcome.NotAdmitted _ -> 11;
        };
    }
}
