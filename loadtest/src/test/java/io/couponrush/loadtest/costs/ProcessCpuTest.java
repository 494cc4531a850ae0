package io.couponrush.loadtest.costs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessCpuTest {

    @Test
    void addsUserAndSystemTimeAfterTheCommandsLastParenthesis() {
        // the command may hold spaces and parentheses; utime (14) = 1200, stime (15) = 34
        var stat = "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 95000 0 12 0 1200 34 0 0 20 0 57 0 1000 "
                + "9000000000 160000 18446744073709551615 1 1 0 0 0 0 0 4096 17102 0 0 0 17 1 0 0 0 0 0";
        assertThat(ProcessCpu.ticks(stat)).isEqualTo(1234);
    }

    @Test
    void readsThisProcessAndNothingForAPidThatIsNotThere() {
        assertThat(ProcessCpu.ticks(ProcessHandle.current().pid())).isPresent();
        assertThat(ProcessCpu.ticks(-1)).isEmpty();
        assertThat(ProcessCpu.ticksPerSecond()).isPositive();
    }
}
