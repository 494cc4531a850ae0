package io.couponrush.infra;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the service notices that the database or Redis is down and stops waiting for it (I8).
 *
 * @param poolWait                  how long a request waits for a pooled database connection while the
 *                                  database is known to be up (the pool is busy); while connections to it
 *                                  fail, no request waits longer than one pool slice
 *                                  ({@code spring.datasource.hikari.connection-timeout}, 1 s)
 * @param openFor                   how long a circuit stays open (every call answered at once) before
 *                                  trial calls test the dependency again
 * @param failuresToOpen            failed calls among the last {@code window} that open a circuit
 * @param window                    calls remembered per circuit
 * @param frozenTransactionTimeout  MariaDB {@code idle_transaction_timeout} of the service's
 *                                  connections: an instance frozen inside a transaction (GC, VM pause,
 *                                  SIGSTOP) loses its session, and so its row locks, after this long
 * @param lockWaitTimeout           {@code innodb_lock_wait_timeout} of the service's connections
 */
@ConfigurationProperties("couponrush.dependencies")
public record DependencySettings(
        @DefaultValue("10s") Duration poolWait,
        @DefaultValue("2s") Duration openFor,
        @DefaultValue("3") int failuresToOpen,
        @DefaultValue("10") int window,
        @DefaultValue("2s") Duration frozenTransactionTimeout,
        @DefaultValue("10s") Duration lockWaitTimeout) {

    public DependencySettings {
        if (failuresToOpen < 1 || window < failuresToOpen || openFor.toMillis() < 1
                || frozenTransactionTimeout.toSeconds() < 1 || lockWaitTimeout.toSeconds() < 1) {
            throw new IllegalArgumentException("couponrush.dependencies: need 1 <= failures-to-open <= window, "
                    + "a positive open-for, and whole seconds of at least 1 for the timeouts");
        }
    }

    /**
     * Session settings of every pooled connection. MariaDB runs the {@code /*M! … *}{@code /} part,
     * MySQL skips it: MySQL 8 has no idle-transaction timeout (see the README on MySQL). The session is in
     * UTC whatever the server's zone: {@code NOW()} stamps the account change feed, which compares stamps with
     * positions, and a daylight-saving step back would hide the changes made after it.
     */
    String sessionSql() {
        return "SET SESSION time_zone = '+00:00', innodb_lock_wait_timeout = " + lockWaitTimeout.toSeconds()
                + " /*M! , idle_transaction_timeout = " + frozenTransactionTimeout.toSeconds() + " */";
    }
}
