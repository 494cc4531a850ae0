package io.couponrush.coupon;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Clock;
import java.util.Optional;

import io.couponrush.web.ApiException;
import io.couponrush.web.ErrorCode;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;

@Service
public class CouponService {

    private final Coupons coupons;
    private final IssuanceSettings settings;
    private final Clock clock;
    // Terms never change after creation, so the issue path reads them once per coupon, not per request,
    // and once for all the requests that need them at the same moment (one read, not a stampede). Kept
    // while the coupon is asked for: a coupon nobody asked for in idle-after is read again next time.
    private final Cache<Long, CouponTerms> terms;
    private final ApplicationEventPublisher events;
    private final org.springframework.jdbc.core.simple.JdbcClient jdbc;

    CouponService(Coupons coupons, IssuanceSettings settings, Clock clock, ApplicationEventPublisher events,
            org.springframework.jdbc.core.simple.JdbcClient jdbc) {
        this.jdbc = jdbc;
        this.coupons = coupons;
        this.settings = settings;
        this.clock = clock;
        this.events = events;
        this.terms = Caffeine.newBuilder()
                .expireAfterAccess(settings.termsIdleAfter())
                .maximumSize(settings.termsCacheSize())
                .ticker(() -> java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(clock.millis())) // the service's clock
                .build();
    }

    public CouponView create(CouponRequests.Create request) {
        var strategy = request.strategy() == null
                ? settings.defaultStrategyValue()
                : Strategy.byId(request.strategy()).orElseThrow(() -> ApiException.invalidField("strategy",
                        "unknown strategy '" + request.strategy() + "', expected one of " + java.util.Arrays.toString(Strategy.values())));
        if (strategy.unsafe() && !settings.allowUnsafe()) {
            throw new ApiException(ErrorCode.UNSAFE_STRATEGY_DISABLED, "Strategy '" + strategy.id()
                    + "' oversells under load; enable it with couponrush.issuance.allow-unsafe=true");
        }
        int subGates = request.subGates() == null ? 1 : request.subGates();
        if (subGates > 1 && strategy != Strategy.REDIS_GATE) {
            throw ApiException.invalidField("subGates", "sub-gates split the Redis gate of the redis-gate strategy; "
                    + "strategy '" + strategy.id() + "' has no gate to split");
        }
        var created = new Coupon(request.name().strip(), request.description(),
                request.discountAmount() == null ? 0 : request.discountAmount(),
                request.totalQuantity(), request.perUserLimit() == null ? 1 : request.perUserLimit(),
                request.issueStartsAt(), request.issueEndsAt(), strategy, clock.instant());
        created.redemptionTerms(request.terms().toTerms());
        created.subGates(subGates);
        if (request.waitingRoom() != null) {
            created.waitingRoom(room(request.waitingRoom(), request.issueStartsAt()));
        }
        var coupon = coupons.save(created);
        terms.put(coupon.getId(), coupon.terms());
        events.publishEvent(new CouponCreated(coupon.terms()));
        return CouponView.of(coupon);
    }

    private static final java.security.SecureRandom SEEDS = new java.security.SecureRandom();

    private static WaitingRoom room(CouponRequests.Room request, java.time.Instant opensAt) {
        var mode = WaitingRoom.Mode.valueOf(request.mode().toUpperCase(java.util.Locale.ROOT));
        byte[] seed = null;
        if (mode == WaitingRoom.Mode.RAFFLE) {
            seed = new byte[32];
            SEEDS.nextBytes(seed);
        }
        return new WaitingRoom(mode,
                request.lineOpensAt() != null ? request.lineOpensAt() : opensAt.minus(java.time.Duration.ofMinutes(10)),
                request.admitPerSecond(), java.time.Duration.ofSeconds(request.turnSeconds() != null ? request.turnSeconds() : 120),
                seed);
    }

    /**
     * New terms for a coupon no one holds a copy of yet: a holder's copy keeps the terms it was issued under,
     * so once one is issued the terms are fixed ({@code 409 TERMS_LOCKED}). One conditional statement: a copy
     * issued at the same moment either came first (and the change is refused) or comes under the new terms.
     */
    public CouponView changeTerms(long id, CouponRequests.Terms request) {
        var terms = request.toTerms();
        int changed = jdbc.sql("""
                UPDATE coupons SET discount_type = ?, discount_amount = ?, discount_percent = ?, max_discount = ?,
                                   min_order_amount = ?, valid_until = ?, valid_days = ?
                WHERE id = ? AND remaining = total_quantity
                  AND NOT EXISTS (SELECT 1 FROM user_coupons WHERE coupon_id = ?)""")
                .params(terms.type().name(), terms.amount(), terms.percent(), terms.maxDiscount(), terms.minOrderAmount(),
                        terms.validUntil() == null ? null : java.time.LocalDateTime.ofInstant(terms.validUntil(), java.time.ZoneOffset.UTC),
                        terms.validDays(), id, id)
                .update();
        if (changed == 0) {
            if (!coupons.existsById(id)) {
                throw notFound(id);
            }
            throw new ApiException(ErrorCode.TERMS_LOCKED, "Coupon " + id + " has copies issued: they keep the terms they were "
                    + "issued under, so its terms can no longer change");
        }
        return get(id);
    }

    /** What a copy of the coupon is worth at checkout, read from the database (terms change only before any copy is issued). */
    public Optional<RedemptionTerms> redemptionTerms(long id) {
        return coupons.findById(id).map(Coupon::getRedemptionTerms);
    }

    public CouponView get(long id) {
        return coupons.findById(id).map(CouponView::of).orElseThrow(() -> notFound(id));
    }

    public CouponView.Page list(int page, int size) {
        var result = coupons.findAll(PageRequest.of(page, size, Sort.by(Sort.Direction.DESC, "id")));
        return new CouponView.Page(result.map(CouponView::of).getContent(), page, size, result.getTotalElements());
    }

    /** Copies the database has left, read now (0 for an unknown coupon). */
    public int remaining(long id) {
        return jdbc.sql("SELECT remaining FROM coupons WHERE id = ?").param(id).query(Integer.class).optional().orElse(0);
    }

    /** The coupon's unchanging terms, cached after the first read; an unknown id is not cached. */
    public Optional<CouponTerms> terms(long id) {
        // concurrent first reads of one coupon wait for one query; a null (no such coupon) is not kept
        return Optional.ofNullable(terms.get(id, key -> coupons.findById(key).map(Coupon::terms).orElse(null)));
    }

    /**
     * Drops the terms that expired. The cache removes expired entries as a side effect of later
     * activity; an instance that went quiet after a busy day would keep them until then.
     */
    public void forgetIdleTerms() {
        terms.cleanUp();
    }

    /** Whether the coupon's terms are cached (tests watch it). */
    boolean termsCached(long id) {
        return terms.getIfPresent(id) != null;
    }

    public java.util.List<CouponTerms> openingOrOpen(java.time.Duration lead, int max) {
        var now = clock.instant();
        return coupons.findOpeningOrOpen(now, now.plus(lead), PageRequest.of(0, max)).stream().map(Coupon::terms).toList();
    }

    public static ApiException notFound(long id) {
        return new ApiException(ErrorCode.COUPON_NOT_FOUND, "Coupon " + id + " not found");
    }
}
