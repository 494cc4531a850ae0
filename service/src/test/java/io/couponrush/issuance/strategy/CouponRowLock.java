package io.couponrush.issuance.strategy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A coupon's row lock held by a transaction of its own until closed, as a slow batch of another
 * instance would hold it: whatever wants the row meanwhile queues up behind it.
 */
final class CouponRowLock implements AutoCloseable {

    private final CompletableFuture<Void> release = new CompletableFuture<>();
    private final Future<?> holder;

    private CouponRowLock(JdbcTemplate jdbc, long coupon, ExecutorService threads) throws Exception {
        var transactions = new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource()));
        var held = new CompletableFuture<Void>();
        this.holder = threads.submit(() -> transactions.executeWithoutResult(tx -> {
            jdbc.queryForObject("SELECT remaining FROM coupons WHERE id = ? FOR UPDATE", Integer.class, coupon);
            held.complete(null);
            release.join();
        }));
        held.get(30, TimeUnit.SECONDS);
    }

    /** Returns once the lock is held. */
    static CouponRowLock hold(JdbcTemplate jdbc, long coupon, ExecutorService threads) throws Exception {
        return new CouponRowLock(jdbc, coupon, threads);
    }

    /** Ends the transaction (nothing written) and waits until it has. */
    @Override
    public void close() throws Exception {
        release.complete(null);
        holder.get(30, TimeUnit.SECONDS);
    }
}
