package io.couponrush.issuance;

import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.DefaultTransactionDefinition;
import org.springframework.transaction.support.TransactionCallback;

/**
 * The transaction every correct strategy settles in, like a {@code TransactionTemplate} with one
 * difference that matters for truthful answers: a failure of the work is a rollback (nothing
 * written), a failure of the COMMIT itself is {@link CommitOutcomeUnknown} (the grant may exist).
 *
 * <p>READ COMMITTED: reads after a lock see what the previous holder committed (REPEATABLE READ would
 * show a snapshot from before the wait), and InnoDB takes fewer gap locks. Programmatic, not
 * {@code @Transactional}, so each strategy decides where the commit lands relative to its locks.
 * Work that uses JPA must flush inside the callback, so that the commit sends only COMMIT.
 */
@Component
public class IssueTransactions {

    private final PlatformTransactionManager transactions;
    private final DefaultTransactionDefinition definition;

    IssueTransactions(PlatformTransactionManager transactions) {
        this.transactions = transactions;
        this.definition = new DefaultTransactionDefinition(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.definition.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
    }

    public <T> T execute(TransactionCallback<T> work) {
        var status = transactions.getTransaction(definition);
        T result;
        try {
            result = work.doInTransaction(status);
        } catch (RuntimeException | Error e) {
            rollbackQuietly(status, e);
            throw e;
        }
        if (status.isRollbackOnly()) {
            // a refusal: nothing of it may stay; a rollback that cannot reach the server leaves nothing either
            try {
                transactions.rollback(status);
            } catch (TransactionException ignored) {
                // the server rolls back an open transaction whose connection is gone
            }
            return result;
        }
        try {
            transactions.commit(status);
        } catch (RuntimeException e) {
            throw new CommitOutcomeUnknown(e);
        }
        return result;
    }

    private void rollbackQuietly(org.springframework.transaction.TransactionStatus status, Throwable cause) {
        try {
            transactions.rollback(status);
        } catch (RuntimeException | Error rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
        }
    }
}
