package io.couponrush.loadtest.simulation;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The request, the recording and the two ways of applying load ({@link Shape}) shared by every
 * scenario. Subclasses only name their scenario, whose full size supplies the defaults.
 */
public abstract class BenchSimulation extends Simulation {

    private static final String STARTED = "startedAt";
    private static final String STATUS = "status";
    private static final String BODY = "body";
    private static final String ARRIVAL = "arrivalAt";
    private static final String REQUEST_ID = "requestId";

    /** Loops stop at ramp + hold; this long after, Gatling stops the run (longer than the request timeout). */
    private static final Duration GRACE = Duration.ofSeconds(90);

    /** How long a pooled burst may take to drain its queue of arrivals: bounded, like every run. */
    private static final Duration POOLED_BURST_LIMIT = Duration.ofMinutes(5);

    private final Shape shape;
    private final AtomicInteger nextArrival = new AtomicInteger();
    private final Map<Long, Long> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong requestIds = new AtomicLong();
    private volatile long runStart;
    private volatile long deadline;

    protected BenchSimulation(Scenario scenario) {
        var settings = SimulationSettings.from(System.getProperties(), scenario);
        this.shape = settings.shape();
        this.runStart = System.currentTimeMillis();
        this.deadline = runStart + shape.nominalLength().toMillis();
        var tokens = Tokens.load(settings.tokenFile(), settings.tokenCount());

        var name = scenario.id() + " " + settings.target().id();
        var feeder = tokens.feeder(settings.tokenMode());
        var request = request(settings);
        PopulationBuilder population;
        Duration limit;
        if (shape.loop()) {
            var oneRequest = timed(feed(feeder).exec(session -> start(session, System.currentTimeMillis())), request);
            population = scenario(name)
                    .asLongAs(session -> System.currentTimeMillis() < deadline)
                    .on(shape.pause().isZero() ? oneRequest : oneRequest.pause(shape.pause()))
                    .injectOpen(spread(shape.users()));
            limit = shape.nominalLength().plus(GRACE);
        } else if (shape.connections() == 0) {
            population = scenario(name)
                    .exec(timed(feed(feeder).exec(session -> start(session, System.currentTimeMillis())), request))
                    .injectOpen(spread(shape.users()));
            limit = shape.nominalLength().plus(GRACE);
        } else {
            // A front proxy: the arrivals keep their schedule, but at most `connections` requests
            // are in the service at once; a request waits for a free connection and its latency
            // counts from its arrival, as the user experiences it.
            var claim = exec(session -> {
                int index = nextArrival.getAndIncrement();
                return index < shape.users() ? session.set(ARRIVAL, arrivalOf(index)) : session.remove(ARRIVAL);
            });
            var serve = doIf(session -> session.contains(ARRIVAL)).then(timed(
                    pause(session -> Duration.ofMillis(Math.max(0, session.getLong(ARRIVAL) - System.currentTimeMillis())))
                            .feed(feeder)
                            .exec(session -> start(session, session.getLong(ARRIVAL))),
                    request));
            population = scenario(name)
                    .asLongAs(session -> nextArrival.get() < shape.users())
                    .on(claim.exec(serve))
                    .injectOpen(atOnceUsers(Math.min(shape.connections(), shape.users())));
            limit = shape.nominalLength().plus(POOLED_BURST_LIMIT);
        }

        // Every virtual user keeps its own keep-alive connection; in a pooled burst the users are
        // the proxy's connections, so the pool needs no separate cap.
        var protocol = http.baseUrl(settings.baseUrl())
                .disableWarmUp()
                .acceptHeader("application/json, application/problem+json")
                .userAgentHeader("couponrush-bench");
        setUp(population).protocols(protocol).maxDuration(limit);
    }

    /** Loops and arrivals are timed from the moment injection starts, not from class construction. */
    @Override
    public void before() {
        runStart = System.currentTimeMillis();
        deadline = runStart + shape.nominalLength().toMillis();
    }

    /**
     * Gatling drops the users still running when the time limit strikes; their requests are
     * recorded here so that every request sent, and every arrival never sent, is counted.
     */
    @Override
    public void after() {
        long now = System.currentTimeMillis();
        inFlight.values().forEach(start ->
                Answers.record(new Answer(start, now, (int) (now - start), Outcomes.NO_RESPONSE, Answer.NONE)));
        if (!shape.loop() && shape.connections() > 0) {
            for (int index = nextArrival.get(); index < shape.users(); index++) {
                long arrival = arrivalOf(index);
                Answers.record(new Answer(arrival, now, (int) Math.max(0, now - arrival), Outcomes.NOT_SENT,
                        Answer.NONE));
            }
        }
    }

    private long arrivalOf(int index) {
        return runStart + shape.ramp().toMillis() * index / shape.users();
    }

    private OpenInjectionStep spread(int users) {
        return shape.ramp().isZero() ? atOnceUsers(users) : rampUsers(users).during(shape.ramp());
    }

    private Session start(Session session, long startedAt) {
        long id = requestIds.incrementAndGet();
        inFlight.put(id, startedAt);
        return session.set(STARTED, startedAt).set(REQUEST_ID, id);
    }

    private ChainBuilder timed(ChainBuilder before, HttpRequestActionBuilder request) {
        return before.exec(request).exec(this::record);
    }

    private static HttpRequestActionBuilder request(SimulationSettings settings) {
        var request = switch (settings.target()) {
            case ISSUE -> http("issue").post("/api/v1/coupons/" + settings.couponId() + "/issue");
            case PING -> http("ping").get("/api/v1/loadtest/ping");
        };
        // The saves come first: a failing check stops the ones after it. Only 5xx count as KO in
        // Gatling's report; a 409 "sold out" is a correct, expected answer.
        return request.header("Authorization", "#{" + Tokens.AUTHORIZATION + "}")
                .check(
                        status().saveAs(STATUS),
                        bodyString().saveAs(BODY),
                        status().lt(500));
    }

    private Session record(Session session) {
        long end = System.currentTimeMillis();
        long start = session.getLong(STARTED);
        inFlight.remove(session.getLong(REQUEST_ID));
        Integer status = session.getIntegerWrapper(STATUS);
        String body = session.getString(BODY);
        // What the user waited, from the moment it pressed the button (its arrival in a burst):
        // this includes any wait for a free connection, which Gatling's response time leaves out.
        int latency = (int) (end - start);
        Answers.record(new Answer(start, end, latency,
                Outcomes.classify(status, body), Outcomes.userCouponId(status, body)));
        return session.removeAll(STATUS, BODY);
    }
}
