package io.couponrush.live;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CounterTableTest {

    private final CounterTable table = new CounterTable();

    private static CouponCounters counters(long id) {
        return new CouponCounters(id, Instant.EPOCH);
    }

    @Test
    void findsWhatItMadeAndMakesItOnce() {
        var made = table.getOrCreate(42, 10, CounterTableTest::counters);

        assertThat(table.get(42)).isSameAs(made);
        assertThat(table.getOrCreate(42, 10, CounterTableTest::counters)).isSameAs(made);
        assertThat(table.get(43)).isNull();
        assertThat(table.size()).isEqualTo(1);
    }

    @Test
    void holdsManyCouponsIncludingCollidingIds() {
        for (long id = 1; id <= 5_000; id++) {
            table.getOrCreate(id * 1024, Integer.MAX_VALUE, CounterTableTest::counters);
        }
        for (long id = 1; id <= 5_000; id++) {
            assertThat(table.get(id * 1024)).isNotNull().extracting(c -> c.couponId).isEqualTo(id * 1024);
        }
        assertThat(table.get(7)).isNull();
        assertThat(table.size()).isEqualTo(5_000);
    }

    @Test
    void makesNoMoreThanTheBound() {
        table.getOrCreate(1, 2, CounterTableTest::counters);
        table.getOrCreate(2, 2, CounterTableTest::counters);

        assertThat(table.getOrCreate(3, 2, CounterTableTest::counters)).isNull();
        assertThat(table.get(3)).isNull();
        assertThat(table.getOrCreate(1, 2, CounterTableTest::counters)).isNotNull();
    }

    @Test
    void retainsOnlyWhatItIsToldToKeep() {
        for (long id = 1; id <= 100; id++) {
            table.getOrCreate(id, Integer.MAX_VALUE, CounterTableTest::counters);
        }

        table.retain(c -> c.couponId % 10 == 0);

        assertThat(table.size()).isEqualTo(10);
        assertThat(table.get(50)).isNotNull();
        assertThat(table.get(51)).isNull();
        assertThat(table.getOrCreate(51, 11, CounterTableTest::counters)).isNotNull();
    }
}
