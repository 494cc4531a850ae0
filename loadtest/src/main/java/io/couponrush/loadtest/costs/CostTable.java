package io.couponrush.loadtest.costs;

import java.util.List;

/** The per-tier table of the summary: what one request costs each tier, per run and phase. */
public final class CostTable {

    private CostTable() {
    }

    /**
     * @param cpu        the CPU model (a cost in milliseconds belongs to it)
     * @param background the quiet window's cost, subtracted from every row (null: none was measured)
     */
    public static String markdown(List<TierCost> costs, TierCost background, String meter, String cpu) {
        var out = new StringBuilder();
        out.append("\n### Cost per request, per tier (").append(cpu).append(")\n\n");
        out.append("CPU milliseconds per request in each process, counted by the kernel; Redis and database work per")
                .append(" request from the servers' own counters. ").append(meter).append(".\n\n");
        out.append("| row | phase | inst. | requests | 201 | service ms | Redis ms | DB ms | HAProxy ms | generator ms |")
                .append(" all ms | others ms | Redis cmds | Redis scripts | Redis round trips | DB stmts |")
                .append(" DB stmts / grant | DB ms / grant | load avg |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (var cost : costs) {
            out.append("| %s | %s | %d | %,d | %,d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n"
                    .formatted(cost.row(), cost.phase(), cost.instances(), cost.requests(), cost.grants(),
                            ms(cost.cpuPerRequest(Tier.SERVICE)), ms(cost.cpuPerRequest(Tier.REDIS)),
                            ms(cost.cpuPerRequest(Tier.DATABASE)), ms(cost.cpuPerRequest(Tier.PROXY)),
                            ms(cost.cpuPerRequest(Tier.GENERATOR)), ms(cost.cpuPerRequestAll()),
                            ms(cost.cpuPerRequest(Tier.OTHER)),
                            count(cost.redisCommandsPerRequest()), count(cost.redisScriptsPerRequest()),
                            count(cost.redisRoundTripsPerRequest()), count(cost.dbStatementsPerRequest()),
                            count(cost.dbStatementsPerGrant()), ms(cost.dbCpuPerGrant()), cost.loadAverage()));
        }
        out.append("\nHow it is counted: a row's counters are read just before its generator starts and just after its")
                .append(" last answer (the generator's start and end are in its window); Redis commands include those")
                .append(" run inside scripts (Redis counts them under their own names), a script run (`EVALSHA`) is one")
                .append(" of them, and a round trip is one read of a client socket (`total_reads_processed`: one")
                .append(" request, or several pipelined ones that arrived together); DB statements are `Questions`")
                .append(" without the harness's `SHOW GLOBAL STATUS`. \"all\" is the request's tiers together (what it")
                .append(" costs this machine); \"others\" is what every other process on the machine used meanwhile,")
                .append(" per request of the row (the cores the run did not have).");
        if (background != null && background.seconds() > 0) {
            var seconds = background.seconds();
            out.append(" Subtracted from every row, the servers' background with no load (the quietest of the windows")
                    .append(" before and after the runs, per %.0f s): ".formatted(seconds))
                    .append("service %s ms/s, Redis %s ms/s, DB %s ms/s, %s Redis commands/s, %s DB statements/s."
                            .formatted(rate(background, Tier.SERVICE), rate(background, Tier.REDIS),
                                    rate(background, Tier.DATABASE),
                                    background.redis() == null ? "–" : "%.1f".formatted(background.redis().commands() / seconds),
                                    background.database() == null ? "–"
                                            : "%.1f".formatted(background.database().statements() / seconds)));
        }
        out.append('\n');
        return out.toString();
    }

    private static String rate(TierCost background, Tier tier) {
        var millis = background.cpuMillis().get(tier);
        return millis == null ? "–" : "%.1f".formatted(millis / background.seconds());
    }

    static String ms(double value) {
        return Double.isNaN(value) ? "–" : "%.3f".formatted(value);
    }

    static String count(double value) {
        return Double.isNaN(value) ? "–" : "%.3f".formatted(value);
    }
}
