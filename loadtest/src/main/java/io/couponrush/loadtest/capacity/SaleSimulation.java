package io.couponrush.loadtest.capacity;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A discrete-event simulation of one sale on a fleet, fed with the measured costs: past what one machine can
 * run, with the same arithmetic the bench measured per request.
 *
 * <p>The model. A press goes to the instance with the fewest requests in it (HAProxy's {@code leastconn}).
 * An instance is {@code C} cores in front of one FIFO queue; every request costs it the refusal path's CPU
 * (HTTP, authentication, asking the gate), a person's first press also the first touch of its account (token
 * verification, account read), and a grant the difference to the grant path's after its commit.
 * With a gate (a strategy whose grants make Redis round trips), the request then crosses the network to the
 * coupon's shard, one thread, where it costs the measured Redis CPU of its kind; the shard decides: a copy
 * left, a grant. Without a gate the database decides. A grant then costs the database its measured CPU per
 * grant on one queue (one coupon's grants take its row lock in turn) and waits a commit. A refusal goes back
 * to the person, who presses again with the retry rate after about the retry delay (uniform between half and
 * one and a half times it). A strategy whose refusals measured no Redis round trip (or no database statement)
 * answers them from the instance's memory once that instance heard "sold out" once.
 *
 * <p>Not in it: the network's own queueing (a fixed round trip per hop), the proxy, connection pools, GC
 * pauses, a second coupon. Seeded: the same settings give the same numbers.
 */
public final class SaleSimulation {

    /**
     * The fleet: instances of a number of cores, and the shards that hold the coupon's gate: one, or one per
     * sub-gate (each request goes to one of them at random, as people are routed by a hash of their id; the
     * stock is shared, as borrowing between sub-gates keeps it).
     */
    public record Fleet(int instances, int coresPerInstance, int subGates) {

        public Fleet {
            if (instances < 1 || coresPerInstance < 1 || subGates < 1) {
                throw new IllegalArgumentException("at least one instance of at least one core, and one gate");
            }
        }

        public Fleet(int instances, int coresPerInstance) {
            this(instances, coresPerInstance, 1);
        }
    }

    /**
     * @param rttMs    network round trip between an instance and Redis, and an instance and the database
     * @param commitMs how long a grant's commit waits beyond the database's CPU (the log's flush)
     */
    public record Settings(Sale sale, StrategyCosts costs, Fleet fleet, double rttMs, double commitMs, long seed) {
    }

    /**
     * Latencies in milliseconds from the request's send (a retry is a new request); per second figures over
     * one-second bins of simulated time.
     *
     * @param latency        p50, p99, p99.9, max of every request
     * @param meanLatency    their mean
     * @param grantLatency   p50, p99 of the grants
     * @param instancePeak   the busiest second's share of the fleet's cores
     * @param instanceUtilisation the share of the fleet's cores busy from the start to the last answer
     * @param gateCalls      requests that reached the shard
     * @param gatePeakPerSecond the busiest second's requests at the shard (at one shard, on average, with sub-gates)
     * @param gatePeak       the busiest second's share of the shard's thread (the busiest shard's)
     * @param databaseGrants grants the database committed
     * @param refusalsAtDatabase refusals the database was asked about
     * @param refusalStatements  statements of the refusal path at the measured rate per refusal, and the first
     *                           touches' (per person)
     */
    public record Result(long requests, long grants, long refusals, long retries, double[] latency,
                         double meanLatency, double[] grantLatency, double soldOutSeconds, double lastAnswerSeconds,
                         double instancePeak, double instanceUtilisation,
                         long gateCalls, double gatePeakPerSecond, double gatePeak, long databaseGrants,
                         double databaseBusySeconds, long refusalsAtDatabase, double refusalStatements) {
    }

    private static final int INSTANCE_PRE = 0;
    private static final int INSTANCE_POST = 1;
    private static final int GATE = 2;
    private static final int DATABASE = 3;
    private static final int ARRIVE = 4;
    private static final int HOP_TO_GATE = 5;
    private static final int HOP_TO_DATABASE = 6;
    private static final int BACK_FROM_GATE = 7;
    private static final int COMMITTED = 8;

    private static final class Job {
        final double sent;
        final boolean first;
        int instance;
        int shard;
        boolean granted;
        boolean post;

        Job(double sent, boolean first) {
            this.sent = sent;
            this.first = first;
        }
    }

    private record Event(double time, long order, int kind, Job job) {
    }

    /** Servers in front of one FIFO queue; busy time kept per second for the peak. */
    private final class Station {
        final int servers;
        final int kind;
        final ArrayDeque<Job> queue = new ArrayDeque<>();
        int busy;
        double busyTime;
        double[] busyPerSecond = new double[16];

        Station(int servers, int kind) {
            this.servers = servers;
            this.kind = kind;
        }

        void offer(Job job, double now) {
            if (busy < servers) {
                start(job, now);
            } else {
                queue.add(job);
            }
        }

        void start(Job job, double now) {
            busy++;
            double service = serviceTime(kind, job);
            busyTime += service;
            busyPerSecond = add(busyPerSecond, now, service);
            schedule(now + service, kind == INSTANCE_PRE && job.post ? INSTANCE_POST : kind, job);
        }

        void finished(double now) {
            busy--;
            var next = queue.poll();
            if (next != null) {
                start(next, now);
            }
        }
    }

    private final Settings settings;
    private final PathCost grant;
    private final PathCost refusal;
    private final PathCost firstTouch;
    private final boolean gate;
    private final SplittableRandom random;
    private final PriorityQueue<Event> events = new PriorityQueue<>((a, b) -> a.time != b.time
            ? Double.compare(a.time, b.time) : Long.compare(a.order, b.order));
    private final Station[] instances;
    private final int[] inFlight;
    private final boolean[] heardSoldOut;
    private final Station[] shards;
    private final Station database;
    private long order;
    private long remaining;
    private double[] latencies = new double[1024];
    private int answered;
    private double[] grantLatencies = new double[1024];
    private int granted;
    private long refused;
    private long retries;
    private long requests;
    private double soldOut = Double.NaN;
    private double lastAnswer;
    private long gateCalls;
    private double[] gatePerSecond = new double[16];
    private long refusalsAtDatabase;
    private long databaseGrants;
    private int nextInstance;

    private SaleSimulation(Settings settings) {
        this.settings = settings;
        this.grant = settings.costs().grant();
        this.refusal = settings.costs().refusal();
        this.firstTouch = settings.costs().firstTouch();
        this.gate = settings.costs().gate();
        this.random = new SplittableRandom(settings.seed());
        int count = settings.fleet().instances();
        this.instances = new Station[count];
        for (int i = 0; i < count; i++) {
            instances[i] = new Station(settings.fleet().coresPerInstance(), INSTANCE_PRE);
        }
        this.inFlight = new int[count];
        this.heardSoldOut = new boolean[count];
        this.shards = new Station[settings.fleet().subGates()];
        for (int i = 0; i < shards.length; i++) {
            shards[i] = new Station(1, GATE);
        }
        this.database = new Station(1, DATABASE);
        this.remaining = settings.sale().copies();
    }

    /** Runs the sale with presses drawn from its arrival curve. */
    public static Result run(Settings settings) {
        var sale = settings.sale();
        if (sale.people() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("at most about two billion people in one simulation");
        }
        var presses = sale.arrival().times((int) sale.people(), sale.seconds(),
                new SplittableRandom(settings.seed() ^ 0x5DEECE66DL));
        return run(settings, presses);
    }

    /** Runs the sale with the given first presses (seconds, ascending): for tests with a known answer. */
    public static Result run(Settings settings, double[] pressSeconds) {
        return new SaleSimulation(settings).simulate(pressSeconds);
    }

    private Result simulate(double[] presses) {
        int next = 0;
        while (next < presses.length || !events.isEmpty()) {
            double arrival = next < presses.length ? presses[next] * 1000 : Double.POSITIVE_INFINITY;
            if (events.isEmpty() || arrival <= events.peek().time) {
                send(new Job(arrival, true), arrival);
                next++;
                continue;
            }
            var event = events.poll();
            handle(event.kind, event.job, event.time);
        }
        var all = Arrays.copyOf(latencies, answered);
        Arrays.sort(all);
        var grants = Arrays.copyOf(grantLatencies, granted);
        Arrays.sort(grants);
        double cores = (double) settings.fleet().instances() * settings.fleet().coresPerInstance();
        double instancePeak = 0;
        int seconds = 0;
        for (var instance : instances) {
            seconds = Math.max(seconds, instance.busyPerSecond.length);
        }
        for (int s = 0; s < seconds; s++) {
            double busy = 0;
            for (var instance : instances) {
                busy += s < instance.busyPerSecond.length ? instance.busyPerSecond[s] : 0;
            }
            instancePeak = Math.max(instancePeak, busy / 1000 / cores);
        }
        double refusalStatements = refused * refusal.databaseStatements()
                + settings.sale().people() * firstTouch.databaseStatements();
        double busy = Arrays.stream(instances).mapToDouble(instance -> instance.busyTime).sum();
        return new Result(requests, granted, refused, retries,
                new double[] {rank(all, 50), rank(all, 99), rank(all, 99.9), all.length == 0 ? 0 : all[all.length - 1]},
                Arrays.stream(all).average().orElse(0), new double[] {rank(grants, 50), rank(grants, 99)},
                soldOut / 1000, lastAnswer / 1000, instancePeak, lastAnswer > 0 ? busy / (cores * lastAnswer) : 0,
                gateCalls, max(gatePerSecond) / shards.length,
                Arrays.stream(shards).mapToDouble(shard -> max(shard.busyPerSecond)).max().orElse(0) / 1000, databaseGrants,
                database.busyTime / 1000, refusalsAtDatabase, refusalStatements);
    }

    private void send(Job job, double now) {
        requests++;
        // leastconn, ties in turn
        int best = -1;
        for (int k = 0; k < instances.length; k++) {
            int i = (nextInstance + k) % instances.length;
            if (best < 0 || inFlight[i] < inFlight[best]) {
                best = i;
            }
        }
        nextInstance = (best + 1) % instances.length;
        job.instance = best;
        inFlight[best]++;
        instances[best].offer(job, now);
    }

    private void handle(int kind, Job job, double now) {
        switch (kind) {
            case ARRIVE -> send(job, now);
            case INSTANCE_PRE -> {
                instances[job.instance].finished(now);
                boolean known = heardSoldOut[job.instance];
                if (gate) {
                    if (known && !settings.costs().gateOnRefusal()) {
                        answer(job, now);
                    } else {
                        schedule(now + settings.rttMs() / 2, HOP_TO_GATE, job);
                    }
                } else if (known && !settings.costs().dbOnRefusal()) {
                    answer(job, now);
                } else {
                    schedule(now + settings.rttMs() / 2, HOP_TO_DATABASE, job);
                }
            }
            case HOP_TO_GATE -> {
                gateCalls++;
                gatePerSecond = add(gatePerSecond, now, 1);
                job.shard = shards.length == 1 ? 0 : random.nextInt(shards.length);
                shards[job.shard].offer(job, now);
            }
            case GATE -> {
                shards[job.shard].finished(now);
                schedule(now + settings.rttMs() / 2, BACK_FROM_GATE, job);
            }
            case BACK_FROM_GATE -> {
                if (job.granted) {
                    schedule(now + settings.rttMs() / 2, HOP_TO_DATABASE, job);
                } else {
                    heardSoldOut[job.instance] = true;
                    answer(job, now);
                }
            }
            case HOP_TO_DATABASE -> database.offer(job, now);
            case DATABASE -> {
                database.finished(now);
                if (job.granted) {
                    databaseGrants++;
                    schedule(now + settings.commitMs() + settings.rttMs() / 2, COMMITTED, job);
                } else {
                    refusalsAtDatabase++;
                    heardSoldOut[job.instance] = true;
                    schedule(now + settings.rttMs() / 2, COMMITTED, job);
                }
            }
            case COMMITTED -> {
                if (job.granted && grant.serviceMs() > refusal.serviceMs()) {
                    job.post = true;
                    instances[job.instance].offer(job, now);
                } else {
                    answer(job, now);
                }
            }
            case INSTANCE_POST -> {
                instances[job.instance].finished(now);
                answer(job, now);
            }
            default -> throw new IllegalStateException("event " + kind);
        }
    }

    /** Service time, and for the deciding tier the decision, when the job's service starts. */
    private double serviceTime(int kind, Job job) {
        return switch (kind) {
            case INSTANCE_PRE -> job.post ? grant.serviceMs() - refusal.serviceMs()
                    : refusal.serviceMs() + (job.first ? firstTouch.serviceMs() : 0);
            case GATE -> {
                job.granted = take();
                yield job.granted ? grant.redisMs() : refusal.redisMs();
            }
            case DATABASE -> {
                if (!gate) {
                    job.granted = take();
                }
                yield job.granted ? grant.databaseMs() : refusal.databaseMs();
            }
            default -> throw new IllegalStateException("station " + kind);
        };
    }

    private boolean take() {
        if (remaining > 0) {
            remaining--;
            return true;
        }
        return false;
    }

    private void answer(Job job, double now) {
        inFlight[job.instance]--;
        double latency = now - job.sent;
        latencies = push(latencies, answered++, latency);
        lastAnswer = Math.max(lastAnswer, now);
        if (job.granted) {
            grantLatencies = push(grantLatencies, granted++, latency);
            if (remaining == 0 && granted == settings.sale().copies()) {
                soldOut = now;
            }
            return;
        }
        refused++;
        if (random.nextDouble() < settings.sale().retryRate()) {
            retries++;
            double delay = settings.sale().retryDelaySeconds() * 1000 * (0.5 + random.nextDouble());
            schedule(now + delay, ARRIVE, new Job(now + delay, false));
        }
    }

    private void schedule(double time, int kind, Job job) {
        events.add(new Event(time, order++, kind, job));
    }

    private static double[] push(double[] array, int index, double value) {
        var target = index < array.length ? array : Arrays.copyOf(array, array.length * 2);
        target[index] = value;
        return target;
    }

    private static double[] add(double[] bins, double millis, double amount) {
        int second = (int) (millis / 1000);
        var target = second < bins.length ? bins : Arrays.copyOf(bins, Math.max(second + 1, bins.length * 2));
        target[second] += amount;
        return target;
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(0);
    }

    static double rank(double[] ascending, double p) {
        if (ascending.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * ascending.length);
        return ascending[Math.clamp(rank - 1, 0, ascending.length - 1)];
    }
}
