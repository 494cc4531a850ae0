package io.couponrush.loadtest.costs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedisCountersTest {

    private static final String BEFORE = """
            # Stats\r
            total_commands_processed:10\r
            total_reads_processed:20\r
            \r
            # Commandstats\r
            cmdstat_evalsha:calls=4,usec=40,usec_per_call=10.00,rejected_calls=0,failed_calls=0\r
            cmdstat_hget:calls=8,usec=8,usec_per_call=1.00,rejected_calls=0,failed_calls=0\r
            cmdstat_info:calls=3,usec=300,usec_per_call=100.00,rejected_calls=0,failed_calls=0\r
            """;

    private static final String AFTER = """
            # Stats\r
            total_commands_processed:2000\r
            total_reads_processed:1022\r
            \r
            # Commandstats\r
            cmdstat_evalsha:calls=1004,usec=10040,usec_per_call=10.00,rejected_calls=0,failed_calls=0\r
            cmdstat_hget:calls=2008,usec=2008,usec_per_call=1.00,rejected_calls=0,failed_calls=0\r
            cmdstat_sadd:calls=5,usec=5,usec_per_call=1.00,rejected_calls=0,failed_calls=0\r
            cmdstat_info:calls=4,usec=400,usec_per_call=100.00,rejected_calls=0,failed_calls=0\r
            """;

    @Test
    void countsScriptRunsTheirInnerCommandsAndReadsButNotTheHarnesssInfo() {
        var diff = RedisCounters.parse(AFTER).minus(RedisCounters.parse(BEFORE));

        assertThat(diff.scripts()).isEqualTo(1_000);
        assertThat(diff.commands()).isEqualTo(1_000 + 2_000 + 5); // inner HGETs count: Redis ran them
        assertThat(diff.byCommand()).containsOnlyKeys("evalsha", "hget", "sadd");
        // 1,002 reads, two of them the harness's (its INFO and the end of the earlier snapshot's connection)
        assertThat(diff.reads()).isEqualTo(1_000);
        assertThat(diff.executionMicros()).isEqualTo(10_000); // the scripts' time holds their inner commands'
    }

    @Test
    void subtractsABackgroundWithoutGoingBelowZero() {
        var diff = RedisCounters.parse(AFTER).minus(RedisCounters.parse(BEFORE));
        var background = RedisCounters.parse("cmdstat_sadd:calls=2,usec=2\r\ntotal_reads_processed:10\r\n");

        var net = diff.less(background.scaled(5));

        assertThat(net.byCommand()).containsEntry("evalsha", 1_000L).containsEntry("hget", 2_000L)
                .doesNotContainKey("sadd");
        assertThat(net.reads()).isEqualTo(950);
    }
}
