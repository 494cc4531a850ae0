package io.couponrush.infra;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class IdGeneratorTest {

    @Test
    void neverRepeatsAcrossThreadsEvenWithAFrozenClock() throws Exception {
        // A frozen clock forces the sequence to overflow and borrow milliseconds.
        var ids = new IdGenerator(Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC), 7);
        var seen = ConcurrentHashMap.<Long>newKeySet();
        try (var pool = Executors.newFixedThreadPool(4)) {
            var tasks = new ArrayList<java.util.concurrent.Future<?>>();
            for (int t = 0; t < 4; t++) {
                tasks.add(pool.submit(() -> {
                    for (int i = 0; i < 25_000; i++) {
                        assertThat(seen.add(ids.next())).isTrue();
                    }
                }));
            }
            for (var task : tasks) {
                task.get();
            }
        }
        assertThat(seen).hasSize(100_000);
    }

    @Test
    void carriesItsNodeIdAndRefusesOneOutOfRange() {
        assertThat(IdGenerator.nodeOf(new IdGenerator(Clock.systemUTC(), 1023).next())).isEqualTo(1023);
        assertThatIllegalArgumentException().isThrownBy(() -> new IdGenerator(Clock.systemUTC(), 1024));
        assertThatIllegalArgumentException().isThrownBy(() -> new IdGenerator(Clock.systemUTC(), -1));
    }

    @Test
    void increasesWithinOneThread() {
        var ids = new IdGenerator(Clock.systemUTC(), 1);
        List<Long> made = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            made.add(ids.next());
        }
        assertThat(made).isSorted();
        assertThat(new HashSet<>(made)).hasSize(made.size());
    }
}
