package io.couponrush.loadtest.simulation;

import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * The scenarios of the seed reports (issue 4's table), each with its full size and a smoke size
 * that runs in seconds.
 *
 * <p>Seed mode is what the reports did: one account for all virtual users and no per-user limit.
 * Real mode is distinct accounts with a per-user limit ({@link #realPerUserLimit}).
 */
public enum Scenario {

    NOLOCK_DEMO("nolock-demo", NolockDemoSimulation.class, TokenMode.SEED, TokenMode.DISTINCT,
            new Sizing(30_000, 35_000, 1), Shape.loop(1_000, Duration.ZERO, seconds(30), seconds(1)),
            new Sizing(1_000, 300, 1), Shape.loop(50, Duration.ZERO, seconds(5), seconds(1))),

    SEED_RUSH("seed-rush", SeedRushSimulation.class, TokenMode.SEED, TokenMode.DISTINCT,
            new Sizing(50_000, 60_000, 1), Shape.loop(2_000, seconds(10), seconds(80), seconds(1)),
            new Sizing(300, 500, 1), Shape.loop(100, seconds(2), seconds(4), seconds(1))),

    OPTIMISTIC_100("optimistic-100", Optimistic100Simulation.class, TokenMode.RANDOM, TokenMode.RANDOM,
            new Sizing(100, 100_000, 1), Shape.loop(100, Duration.ZERO, Duration.ofMillis(10_800), seconds(1)),
            new Sizing(20, 1_000, 1), Shape.loop(20, Duration.ZERO, seconds(3), seconds(1))),

    // 20,000 users each on their own connection need 20,000 sockets on each side within 2 s:
    // past this machine's open-files limit (20,000) and Tomcat's accept backlog (100), so even the
    // trivial endpoint times out connecting. In production a front proxy terminates the users'
    // connections and reaches the service over a pool; the burst models that pool.
    FLASH_BURST("flash-burst", FlashBurstSimulation.class, TokenMode.DISTINCT, TokenMode.DISTINCT,
            new Sizing(1_000, 20_000, 1), Shape.burst(20_000, seconds(2), 500),
            new Sizing(100, 500, 1), Shape.burst(500, seconds(2), 500)),

    // The cost of a request per tier: the flash burst's shape twice per strategy, once on a stock that grants
    // every request ("grants"), once on a coupon already sold out ("refusals"), so that each phase's counters
    // hold one kind of request. The stock here is the grants phase's; the refusals phase's coupon has one copy,
    // taken before the burst by an account of its own.
    COSTS("costs", CostsSimulation.class, TokenMode.DISTINCT, TokenMode.DISTINCT,
            new Sizing(20_000, 20_000, 1), Shape.burst(20_000, seconds(2), 500),
            new Sizing(2_000, 2_000, 1), Shape.burst(2_000, seconds(2), 500)),

    // "Limit high": every request is a real, eligible grant, so the run measures the issue path
    // itself rather than how fast each strategy says "sold out" or "already issued".
    SATURATION("saturation", SaturationSimulation.class, TokenMode.DISTINCT, TokenMode.DISTINCT,
            new Sizing(1_000_000, 10_000, 1_000), Shape.loop(100, Duration.ZERO, seconds(30), Duration.ZERO),
            new Sizing(100_000, 1_000, 1_000), Shape.loop(20, Duration.ZERO, seconds(4), Duration.ZERO));

    /**
     * @param stock            the coupon's total quantity
     * @param realUsers        accounts in the pool in real mode (seed mode uses one)
     * @param realPerUserLimit per-user limit in real mode (seed mode uses 0 = unlimited)
     */
    public record Sizing(int stock, int realUsers, int realPerUserLimit) {
    }

    private final String id;
    private final Class<? extends Simulation> simulation;
    private final TokenMode defaultMode;
    private final TokenMode realMode;
    private final Sizing fullSizing;
    private final Shape fullShape;
    private final Sizing smokeSizing;
    private final Shape smokeShape;

    Scenario(String id, Class<? extends Simulation> simulation, TokenMode defaultMode, TokenMode realMode,
             Sizing fullSizing, Shape fullShape, Sizing smokeSizing, Shape smokeShape) {
        this.id = id;
        this.simulation = simulation;
        this.defaultMode = defaultMode;
        this.realMode = realMode;
        this.fullSizing = fullSizing;
        this.fullShape = fullShape;
        this.smokeSizing = smokeSizing;
        this.smokeShape = smokeShape;
    }

    public String id() {
        return id;
    }

    public Class<? extends Simulation> simulation() {
        return simulation;
    }

    public TokenMode defaultMode() {
        return defaultMode;
    }

    /** The mode "real" means for this scenario (random accounts for optimistic-100, distinct otherwise). */
    public TokenMode realMode() {
        return realMode;
    }

    public Sizing sizing(boolean smoke) {
        return smoke ? smokeSizing : fullSizing;
    }

    public Shape shape(boolean smoke) {
        return smoke ? smokeShape : fullShape;
    }

    public Shape fullShape() {
        return fullShape;
    }

    public static Scenario of(String id) {
        var wanted = id.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(scenario -> scenario.id.equals(wanted))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown scenario '" + id + "', known: "
                        + Arrays.stream(values()).map(Scenario::id).toList()));
    }

    private static Duration seconds(long seconds) {
        return Duration.ofSeconds(seconds);
    }
}
