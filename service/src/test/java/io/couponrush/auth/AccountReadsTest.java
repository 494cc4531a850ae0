package io.couponrush.auth;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.couponrush.user.AccountState;
import io.couponrush.user.Role;
import io.couponrush.user.UserService;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** Concurrent cache misses share one query, and each caller gets its own account (or none). */
class AccountReadsTest {

    @Test
    void readsWaitingWhileAQueryRunsShareTheNextOne() throws Exception {
        var users = mock(UserService.class);
        var queries = new AtomicInteger();
        var firstQueryStarted = new CountDownLatch(1);
        var releaseFirstQuery = new CountDownLatch(1);
        when(users.states(any())).thenAnswer(invocation -> {
            Collection<Long> ids = invocation.getArgument(0);
            if (queries.incrementAndGet() == 1) {
                firstQueryStarted.countDown();
                releaseFirstQuery.await(30, TimeUnit.SECONDS);
            }
            // even ids exist
            return ids.stream().filter(id -> id % 2 == 0).map(id -> new AccountState(id, Role.USER, id * 10)).toList();
        });
        var reads = new AccountReads(users);
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var first = CompletableFuture.supplyAsync(() -> reads.read(2), threads);
            assertThat(firstQueryStarted.await(30, TimeUnit.SECONDS)).isTrue();
            var waiting = new ArrayList<CompletableFuture<Optional<AccountState>>>();
            for (long id = 1; id <= 100; id++) {
                long user = id;
                waiting.add(CompletableFuture.supplyAsync(() -> reads.read(user), threads));
            }
            await().pollDelay(java.time.Duration.ZERO).pollInterval(java.time.Duration.ofMillis(1)).atMost(java.time.Duration.ofSeconds(30)).until(() -> reads.waiting() >= 100);
            assertThat(reads.waiting()).isEqualTo(100);
            releaseFirstQuery.countDown();

            assertThat(first.get(30, TimeUnit.SECONDS)).hasValue(new AccountState(2, Role.USER, 20));
            for (int i = 0; i < waiting.size(); i++) {
                long user = i + 1;
                var state = waiting.get(i).get(30, TimeUnit.SECONDS);
                assertThat(state).isEqualTo(user % 2 == 0 ? Optional.of(new AccountState(user, Role.USER, user * 10)) : Optional.empty());
            }
        }
        // 101 reads: the first alone, the 100 that queued behind it together
        assertThat(queries.get()).isEqualTo(2);
    }

    @Test
    void aFailedQueryFailsEveryReadItCarried() {
        var users = mock(UserService.class);
        when(users.states(any())).thenThrow(new DataAccessResourceFailureException("database down"));
        var reads = new AccountReads(users);

        assertThatExceptionOfType(DataAccessResourceFailureException.class).isThrownBy(() -> reads.read(7));
        // the drainer is not stuck: the next read gets its own answer
        doReturn(List.of(new AccountState(8, Role.ADMIN, 0))).when(users).states(any());
        assertThat(reads.read(8)).hasValue(new AccountState(8, Role.ADMIN, 0));
    }
}
