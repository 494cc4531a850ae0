package io.couponrush.infra;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The pool, behind the database circuit. The pool's own wait is one short slice (Hikari's
 * {@code connection-timeout}); a slice that times out because connections cannot be made (Hikari
 * reports the last failure as the cause) is a database that is down: the request fails now and the
 * circuit learns it. A slice that times out only because every connection is busy is a database that
 * is up and loaded: the request waits another slice, up to {@code pool-wait} in all, as it always did.
 */
final class GuardedDataSource extends DelegatingDataSource {

    private final CircuitBreaker circuit;
    private final Duration poolWait;

    GuardedDataSource(DataSource pool, CircuitBreaker circuit, Duration poolWait) {
        super(pool);
        this.circuit = circuit;
        this.poolWait = poolWait;
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (!circuit.tryAcquirePermission()) {
            throw new SQLTransientConnectionException("the database is unavailable (circuit open)", "08001");
        }
        long started = System.nanoTime();
        long deadline = started + poolWait.toNanos();
        while (true) {
            try {
                var connection = obtainTargetDataSource().getConnection();
                circuit.onSuccess(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                return connection;
            } catch (SQLTransientConnectionException busyOrDown) {
                if (busyOrDown.getCause() == null && System.nanoTime() < deadline) {
                    continue; // every connection is in use by a live database: keep waiting
                }
                if (busyOrDown.getCause() == null) {
                    circuit.releasePermission(); // busy, not down: says nothing about the server
                } else {
                    circuit.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS, busyOrDown);
                }
                throw busyOrDown;
            } catch (SQLException | RuntimeException failed) {
                circuit.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS, failed);
                throw failed;
            }
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLException("the service's pool has one set of credentials");
    }
}
