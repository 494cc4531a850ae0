package io.couponrush.loadtest.capacity;

import io.couponrush.loadtest.costs.CostsFile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code capacity --copies S --users U --seconds T [--retry-rate R] …}: the capacity plan for one sale from
 * measured costs, with the assumptions printed beside it. See {@code docs/capacity.md}.
 */
public final class Capacity {

    /** The costs measured with the bench's {@code costs} scenario and checked in. */
    public static final String DEFAULT_COSTS = "capacity/costs-2026-12-06.json";

    static final String USAGE = """
            capacity --copies S --users U --seconds T [options]

              --retry-rate R          chance a refused person presses again, each time (default 0)
              --retry-delay D         seconds before a retry, on average (default 1)
              --arrival A             uniform | front-loaded (half the crowd in the first tenth; default uniform)
              --strategy NAME         a strategy measured in the costs file (default redis-gate)
              --costs FILE            a costs.json of the bench (default: the checked-in %s)
              --cores-per-instance C  cores of one service instance (default 2)
              --headroom H            share of a core each tier may use at the peak (default 0.6)
              --cpu-scale X           the target's cores against the measured ones (default 1: the same)
              --simulate              also run the discrete-event simulation of the planned fleet
              --instances N           the fleet to simulate (default: the plan's)
              --sub-gates K           the coupon's sub-gates, one shard each, to simulate (default: the plan's)
              --seed N                the simulation's seed (default 1)
              --rtt-ms MS             network round trip instance<->Redis and instance<->database (default 0.2)
              --commit-ms MS          a grant's commit wait beyond the database's CPU (default 1)
              --shared-cores K        instead: every tier on one machine of K cores (the bench's), the burst
                                      evenly spread: predicted throughput and latency
              --service-cores A       with --shared-cores: the instances pinned to A of them, the other tiers
                                      to the rest (taskset)
              --proxy-ms MS           with --shared-cores and --instances above 1: HAProxy's CPU per request
              --run-costs             with --shared-cores: every request at the average cost of the strategy's
                                      own run in the --costs file (a flash-burst's summary), not the costs phases
            """.formatted(DEFAULT_COSTS);

    private static final Set<String> FLAGS = Set.of("--simulate", "--help", "--run-costs");

    private Capacity() {
    }

    public static void main(String[] args) {
        try {
            System.exit(run(args, System.out));
        } catch (IllegalArgumentException e) {
            System.err.println("capacity: " + e.getMessage());
            System.err.println();
            System.err.println(USAGE);
            System.exit(2);
        } catch (IOException e) {
            System.err.println("capacity: " + e.getMessage());
            System.exit(1);
        }
    }

    static int run(String[] args, PrintStream out) throws IOException {
        var options = parse(args);
        if (options.containsKey("--help")) {
            out.println(USAGE);
            return 0;
        }
        var sale = new Sale(integer(options, "--copies", null), longValue(options, "--users"),
                number(options, "--seconds", null), number(options, "--retry-rate", 0.0),
                number(options, "--retry-delay", 1.0), Arrival.of(options.getOrDefault("--arrival", "uniform")));
        var assumptions = new Assumptions(integer(options, "--cores-per-instance", 2),
                number(options, "--headroom", 0.6), number(options, "--cpu-scale", 1.0));
        var file = load(options.get("--costs"));
        var strategy = options.getOrDefault("--strategy", "redis-gate");
        var costs = options.containsKey("--run-costs") ? StrategyCosts.fromRun(file, strategy)
                : StrategyCosts.from(file, strategy);
        out.print(costsTable(costs, options.getOrDefault("--costs", "classpath:" + DEFAULT_COSTS)));
        if (options.containsKey("--shared-cores")) {
            int instances = integer(options, "--instances", 1);
            double proxy = instances > 1 ? number(options, "--proxy-ms", costs.refusal().proxyMs()) : 0;
            int cores = integer(options, "--shared-cores", null);
            int serviceCores = integer(options, "--service-cores", cores);
            if (serviceCores < 1 || serviceCores > cores) {
                throw new IllegalArgumentException("--service-cores: between 1 and --shared-cores");
            }
            out.print(shared(sale, costs.faster(assumptions.cpuScale()), serviceCores, cores - serviceCores, instances,
                    proxy));
            return 0;
        }
        var plan = CapacityPlan.of(sale, costs, assumptions);
        out.print(render(plan));
        if (options.containsKey("--simulate")) {
            var fleet = new SaleSimulation.Fleet(integer(options, "--instances", plan.instances()),
                    assumptions.coresPerInstance(),
                    integer(options, "--sub-gates", Math.min(plan.subGates(), CapacityPlan.MAX_SUB_GATES)));
            var settings = new SaleSimulation.Settings(sale, costs.faster(assumptions.cpuScale()), fleet,
                    number(options, "--rtt-ms", 0.2), number(options, "--commit-ms", 1.0),
                    longValue(options, "--seed", 1L));
            long started = System.nanoTime();
            var result = SaleSimulation.run(settings);
            out.print(render(settings, result, (System.nanoTime() - started) / 1e9));
        }
        return 0;
    }

    static CostsFile load(String path) throws IOException {
        if (path != null) {
            return CostsFile.read(Path.of(path));
        }
        try (var in = Capacity.class.getClassLoader().getResourceAsStream(DEFAULT_COSTS)) {
            if (in == null) {
                throw new IOException(DEFAULT_COSTS + " is not on the classpath; pass --costs FILE");
            }
            return CostsFile.read(in);
        }
    }

    static String costsTable(StrategyCosts costs, String source) {
        var out = new StringBuilder();
        out.append("Measured costs: %s, %s, measured %s on %s (%d cores); CPU ms per request%n".formatted(
                source, costs.strategy(), costs.measured().toString().substring(0, 10), costs.cpu(), costs.cores()));
        out.append("  %-9s %10s %10s %10s %14s %14s %12s%n".formatted("path", "service", "Redis", "database",
                "Redis trips", "Redis cmds", "DB stmts"));
        for (var row : List.of(Map.entry("grant", costs.grant()), Map.entry("refusal", costs.refusal()),
                Map.entry("ping", costs.ping()), Map.entry("1st touch", costs.firstTouch()))) {
            var p = row.getValue();
            out.append("  %-9s %10.4f %10.4f %10.4f %14.3f %14.3f %12.3f%n".formatted(row.getKey(), p.serviceMs(),
                    p.redisMs(), p.databaseMs(), p.redisRoundTrips(), p.redisCommands(), p.databaseStatements()));
        }
        out.append("  (grant and refusal: accounts the instance had seen within the minute; 1st touch: what a person's")
                .append(" first request to an instance costs beyond that; Redis and DB ms is those servers' CPU)\n");
        return out.append('\n').toString();
    }

    static String render(CapacityPlan plan) {
        var sale = plan.sale();
        var a = plan.assumptions();
        var c = plan.costs();
        var out = new StringBuilder();
        out.append("Sale: %,d people within %s s for %,d copies, strategy %s%n".formatted(sale.people(),
                number(sale.seconds()), sale.copies(), c.strategy()));
        out.append("Assumptions: arrival %s (peak %.1f× the average); retry rate %s, retry after ~%s s;".formatted(
                sale.arrival().id(), sale.arrival().peakFactor(), number(sale.retryRate()),
                number(sale.retryDelaySeconds())));
        out.append(" instances of %d cores; headroom %s (a tier may use that share of its cores at the peak);"
                .formatted(a.coresPerInstance(), number(a.headroom())));
        out.append(" cores %s× the measured ones%n%n".formatted(number(a.cpuScale())));
        out.append("Requests: %,.0f in all; peak %,.0f req/s (the busiest 0.1 s); the copies are gone %s%n%n".formatted(
                plan.requests(),
                plan.peakRate(), Double.isNaN(plan.sellOutSeconds()) ? "never (more copies than people)"
                        : "after %.3f s".formatted(plan.sellOutSeconds())));
        out.append(("HTTP tier (grows with requests, scales out): %,.0f req/s × %.4f ms + %,.0f first presses/s × %.4f ms"
                + " = %.1f cores → %d instances").formatted(plan.peakRate(), c.refusal().serviceMs(),
                        sale.peakPressRate(), c.firstTouch().serviceMs(), plan.httpCores(), plan.instances()))
                .append(" of %d cores, %.0f %% busy at the peak%n".formatted(a.coresPerInstance(),
                        plan.httpUtilisation() * 100));
        out.append("  while the copies go (grant path, %.4f ms each): %.0f %% busy%s%n".formatted(c.grant().serviceMs(),
                plan.sellOutUtilisation() * 100, plan.sellOutBacklogMillis() > 0
                        ? ", a queue that drains in %.0f ms".formatted(plan.sellOutBacklogMillis()) : ""));
        out.append("Redis (grows with requests while the gate is asked; one gate = one slot = one shard):%n".formatted());
        if (!c.gate()) {
            out.append("  %s makes no Redis round trip per grant (%.3f measured): no gate on the issue path;".formatted(
                    c.strategy(), c.grant().redisRoundTrips()))
                    .append(" %,.0f round trips/s at the peak from the rest of the request%n".formatted(
                            plan.gateRoundTripsPerSecond()));
        } else {
            out.append("  1 shard for this coupon: %,.0f round trips/s, %,.0f commands/s at the peak, %.0f %% of its"
                    .formatted(plan.gateRoundTripsPerSecond(), plan.gateCommandsPerSecond(), plan.gateUtilisation() * 100))
                    .append(" one thread (%.4f ms of Redis CPU per refusal)%n".formatted(c.refusal().redisMs()));
            out.append("  while the copies go (grant path, %.4f ms of Redis CPU each): %.0f %% of its thread%s%n".formatted(
                    c.grant().redisMs(), plan.gateSellOutUtilisation() * 100,
                    Double.isInfinite(plan.gateSellOutBacklogMillis()) ? ", a queue the refusals alone keep from draining"
                            : plan.gateSellOutBacklogMillis() > 0
                            ? ", a queue that drains in %.0f ms".formatted(plan.gateSellOutBacklogMillis()) : ""));
            int split = plan.subGates();
            out.append("  one shard carries one gate up to %,.0f req/s at the headroom: %s%n".formatted(
                    plan.gateCapRate(), plan.gateFits() ? "fits"
                            : split > CapacityPlan.MAX_SUB_GATES
                            ? "DOES NOT FIT even in %d sub-gates (%d needed): spread the arrivals (a waiting room)".formatted(
                                    CapacityPlan.MAX_SUB_GATES, split)
                            : "DOES NOT FIT in one: split the coupon into subGates %d on %d masters, %.0f %% of each one's thread"
                                    .formatted(split, split, plan.gateUtilisation() / split * 100)));
        }
        out.append("Database (grows with the copies, not the crowd): one primary%n".formatted());
        out.append("  %,d grants: %,.0f statements, %,.0f commits, %.2f s of CPU (%.4f ms per grant), at least %.2f s"
                .formatted(Math.min(sale.copies(), sale.people()), plan.grantStatements(), plan.grantCommits(),
                        plan.grantCpuSeconds(), c.grant().databaseMs(), plan.databaseSeconds()))
                .append(" one after another on the coupon's row%s%n".formatted(Double.isNaN(plan.databaseCores()) ? ""
                        : " (%.2f of a core while the copies go)".formatted(plan.databaseCores())));
        out.append("  refusal path: %,.0f statements in all (%.5f per refusal measured), %,.1f/s at the peak; %.2f s of"
                .formatted(plan.refusalStatements(), c.refusal().databaseStatements(),
                        plan.refusalStatementsPerSecond(), plan.refusalCpuSeconds()))
                .append(" database CPU (%.4f ms per refusal measured%s)%n".formatted(c.refusal().databaseMs(),
                        c.refusal().databaseMs() < 0.005 ? ", the size of the background's noise" : ""));
        double refusalCores = plan.peakRate() * c.refusal().databaseMs() / 1000;
        if (refusalCores > a.headroom()) {
            out.append("  THE DATABASE ANSWERS THE REFUSALS: %.1f cores at the peak, on one coupon's row%n".formatted(
                    refusalCores));
        }
        out.append('\n');
        return out.toString();
    }

    static String render(SaleSimulation.Settings settings, SaleSimulation.Result r, double took) {
        var out = new StringBuilder();
        int shards = settings.fleet().subGates();
        out.append("Simulation (discrete events, seed %d, %.1f s to run): %d instances × %d cores, %s,"
                .formatted(settings.seed(), took, settings.fleet().instances(), settings.fleet().coresPerInstance(),
                        shards == 1 ? "1 Redis shard" : shards + " sub-gates on as many Redis shards"))
                .append(" 1 database primary; round trip %s ms, commit wait %s ms%n".formatted(
                        number(settings.rttMs()), number(settings.commitMs())));
        out.append("  requests %,d (retries %,d): %,d granted, %,d refused; copies gone after %.3f s; last answer %.2f s%n"
                .formatted(r.requests(), r.retries(), r.grants(), r.refusals(), r.soldOutSeconds(),
                        r.lastAnswerSeconds()));
        out.append("  latency p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms; grants p50 %.1f ms, p99 %.1f ms%n"
                .formatted(r.latency()[0], r.latency()[1], r.latency()[2], r.latency()[3], r.grantLatency()[0],
                        r.grantLatency()[1]));
        out.append("  instances: busiest second %.0f %% of their cores%n".formatted(r.instancePeak() * 100));
        out.append((shards == 1 ? "  the coupon's shard: %,d requests reached it, busiest second %,.0f of them and %.0f %% of its thread%n"
                : "  the coupon's shards: %,d requests reached them, busiest second %,.0f per shard, the busiest shard %.0f %% of its thread%n")
                .formatted(r.gateCalls(), r.gatePeakPerSecond(), r.gatePeak() * 100));
        out.append("  database: %,d grants committed, %.2f s busy; refusal path: %,d refusals reached it, %,.1f"
                .formatted(r.databaseGrants(), r.databaseBusySeconds(), r.refusalsAtDatabase(), r.refusalStatements()))
                .append(" statements at the measured rate per refusal and first touch\n\n");
        return out.toString();
    }

    static String shared(Sale sale, StrategyCosts costs, int serviceCores, int otherCores, int instances,
                         double proxyMs) {
        var p = SharedMachine.predict((int) sale.people(), sale.seconds(), sale.copies(), costs, serviceCores,
                otherCores, proxyMs);
        var where = otherCores == 0 ? "and every other tier on %d cores".formatted(serviceCores)
                : "on %d core%s, every other tier on %d".formatted(serviceCores, serviceCores == 1 ? "" : "s", otherCores);
        return ("Shared machine: %,d arrivals evenly within %s s, %,d copies, %d instance%s %s (HAProxy %.4f ms per"
                + " request)%n  predicted %,.0f req/s; latency p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms;"
                + " copies gone after %.0f ms; machine %.0f %% busy%n%n").formatted(sale.people(),
                number(sale.seconds()), sale.copies(), instances, instances == 1 ? "" : "s", where, proxyMs,
                p.throughput(), p.p50(), p.p95(), p.p99(), p.max(), p.soldOutMillis(), p.utilisation() * 100);
    }

    static Map<String, String> parse(String[] args) {
        var options = new HashMap<String, String>();
        for (int i = 0; i < args.length; i++) {
            var name = args[i];
            if (!name.startsWith("--")) {
                throw new IllegalArgumentException("unexpected '" + name + "'");
            }
            if (FLAGS.contains(name)) {
                options.put(name, "true");
                continue;
            }
            int equals = name.indexOf('=');
            if (equals > 0) {
                options.put(name.substring(0, equals), name.substring(equals + 1));
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            options.put(name, args[++i]);
        }
        return options;
    }

    private static int integer(Map<String, String> options, String name, Integer fallback) {
        return (int) longValue(options, name, fallback == null ? null : fallback.longValue());
    }

    private static long longValue(Map<String, String> options, String name) {
        return longValue(options, name, null);
    }

    private static long longValue(Map<String, String> options, String name, Long fallback) {
        var text = options.get(name);
        if (text == null) {
            if (fallback == null) {
                throw new IllegalArgumentException(name + " is required");
            }
            return fallback;
        }
        try {
            return Long.parseLong(text.replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": a whole number, not " + text, e);
        }
    }

    private static double number(Map<String, String> options, String name, Double fallback) {
        var text = options.get(name);
        if (text == null) {
            if (fallback == null) {
                throw new IllegalArgumentException(name + " is required");
            }
            return fallback;
        }
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": a number, not " + text, e);
        }
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%s", value);
    }
}
