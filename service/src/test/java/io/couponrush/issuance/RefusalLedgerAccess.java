package io.couponrush.issuance;

import org.springframework.context.ApplicationContext;

/** What the heap measurement needs of the refusal ledger. */
public final class RefusalLedgerAccess {

    private RefusalLedgerAccess() {
    }

    public static boolean records(ApplicationContext context, long couponId) {
        return context.getBean(RefusalLedger.class).couponsRecorded().contains(couponId);
    }

    /** Enough passes for every idle, fully written coupon to be forgotten. */
    public static void forgetIdle(ApplicationContext context) {
        var ledger = context.getBean(RefusalLedger.class);
        for (int pass = 0; pass <= RefusalLedger.IDLE_PASSES + 1; pass++) {
            ledger.flush();
        }
    }
}
