package io.couponrush.infra;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.logging.Logger;

import javax.sql.DataSource;

import io.couponrush.support.MutableClock;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The database circuit around the pool: closed, open, half-open, closed again, on a clock the test moves. */
class GuardedDataSourceTest {

    /** A pool whose next answers the test scripts: a connection, or a timeout with or without a cause. */
    static final class ScriptedPool implements DataSource {
        final Deque<Object> answers = new ArrayDeque<>();
        int calls;

        @Override
        public Connection getConnection() throws SQLException {
            calls++;
            var next = answers.isEmpty() ? Mockito.mock(Connection.class) : answers.poll();
            if (next instanceof SQLException e) {
                throw e;
            }
            return (Connection) next;
        }

        @Override
        public Connection getConnection(String u, String p) {
            throw new UnsupportedOperationException();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> type) {
            return null;
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    }

    private static SQLTransientConnectionException down() {
        return new SQLTransientConnectionException("pool timed out", "08001", new java.net.ConnectException("refused"));
    }

    private static SQLTransientConnectionException busy() {
        return new SQLTransientConnectionException("pool timed out");
    }

    private final MutableClock clock = new MutableClock();
    private final ScriptedPool pool = new ScriptedPool();
    private final Dependencies dependencies = new Dependencies(
            new DependencySettings(Duration.ofSeconds(10), Duration.ofSeconds(2), 3, 10, Duration.ofSeconds(2),
                    Duration.ofSeconds(10)), clock, new SimpleMeterRegistry());
    private final GuardedDataSource guarded = new GuardedDataSource(pool, dependencies.database(), Duration.ofSeconds(10));

    @Test
    void opensAfterConnectionsFailAnswersAtOnceThenRecovers() throws Exception {
        for (int i = 0; i < 3; i++) {
            pool.answers.add(down());
            assertThatExceptionOfType(SQLTransientConnectionException.class).isThrownBy(guarded::getConnection);
        }
        assertThat(dependencies.database().getState()).isEqualTo(CircuitBreaker.State.OPEN);

        int before = pool.calls;
        assertThatExceptionOfType(SQLTransientConnectionException.class).isThrownBy(guarded::getConnection)
                .withMessageContaining("circuit open");
        assertThat(pool.calls).as("an open circuit does not touch the pool").isEqualTo(before);

        clock.advance(Duration.ofSeconds(3));
        assertThat(guarded.getConnection()).isNotNull(); // a trial call, and the database is back
        assertThat(guarded.getConnection()).isNotNull();
        assertThat(dependencies.database().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void aFailedTrialOpensItAgain() throws Exception {
        for (int i = 0; i < 3; i++) {
            pool.answers.add(down());
            assertThatExceptionOfType(SQLException.class).isThrownBy(guarded::getConnection);
        }
        clock.advance(Duration.ofSeconds(3));
        pool.answers.add(down());
        assertThatExceptionOfType(SQLException.class).isThrownBy(guarded::getConnection);
        pool.answers.add(down());
        assertThatExceptionOfType(SQLException.class).isThrownBy(guarded::getConnection);

        assertThat(dependencies.database().getState()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    /** A busy pool on a live database is waited for, slice after slice, and never opens the circuit. */
    @Test
    void waitsOutABusyPoolWithoutOpening() throws Exception {
        pool.answers.add(busy());
        pool.answers.add(busy());
        pool.answers.add(busy());

        assertThat(guarded.getConnection()).isNotNull();

        assertThat(pool.calls).isEqualTo(4);
        assertThat(dependencies.database().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }
}
