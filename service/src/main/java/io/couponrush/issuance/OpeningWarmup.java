package io.couponrush.issuance;


import io.couponrush.coupon.CouponCreated;
import io.couponrush.coupon.CouponService;
import io.couponrush.coupon.CouponTerms;
import io.couponrush.infra.Periodic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Nothing is cold at the opening (I9). A flash sale's first burst is the one that matters, and a
 * cold path (terms read from the database, a queue created, a Redis gate built) holds the earliest
 * requests while later ones overtake them. So every instance makes each coupon ready before its
 * window opens: at creation when it is already open, every second for coupons opening within the
 * lead, and at start-up (an instance that restarted, a Redis that lost its gates, get it again).
 */
@Component
class OpeningWarmup extends Periodic implements OpeningWarmupProbe {

    private static final Logger log = LoggerFactory.getLogger(OpeningWarmup.class);

    /**
     * @param lead    how long before a coupon opens it is made ready
     * @param every   how often each instance looks
     * @param coupons most coupons kept ready at once (the latest to open first)
     */
    @ConfigurationProperties("couponrush.issuance.warmup")
    record Settings(@DefaultValue("10s") java.time.Duration lead, @DefaultValue("1s") java.time.Duration every,
            @DefaultValue("1000") int coupons) {
    }

    private final CouponService coupons;
    private final Issuers issuers;
    private final Settings settings;
    private final java.time.Clock clock;

    OpeningWarmup(CouponService coupons, Issuers issuers, Settings settings, java.time.Clock clock) {
        super("opening-warmup", java.time.Duration.ZERO, settings.every(), log);
        this.coupons = coupons;
        this.issuers = issuers;
        this.settings = settings;
        this.clock = clock;
    }

    @EventListener
    void created(CouponCreated event) {
        var terms = event.terms();
        var now = clock.instant();
        if (terms.startsAt().isBefore(now.plus(settings.lead())) && terms.endsAt().isAfter(now)) {
            prepare(terms);
        }
    }

    /** One pass; answers how many coupons it made ready. */
    @Override
    public int warm() {
        var ready = coupons.openingOrOpen(settings.lead(), settings.coupons());
        ready.forEach(this::prepare);
        return ready.size();
    }

    private void prepare(CouponTerms terms) {
        try {
            coupons.terms(terms.id()); // cached for the issue path
            issuers.of(terms.strategy()).prepare(terms);
        } catch (RuntimeException e) {
            // a dependency down: the first request builds what is missing, as before
            log.debug("Could not make coupon {} ready: {}", terms.id(), e.getMessage());
        }
    }

    @Override
    protected void runOnce() {
        warm();
    }
}
