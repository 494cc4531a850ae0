package io.couponrush.issuance;

/**
 * COMMIT was sent but no answer came back (the connection broke): the transaction may have been
 * committed or not. Never answered as "nothing written".
 */
public final class CommitOutcomeUnknown extends RuntimeException {

    public CommitOutcomeUnknown(Throwable cause) {
        super("commit outcome unknown: " + cause.getMessage(), cause);
    }
}
