package io.couponrush.coupon;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

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
    // Terms never change after creation, so the issue path reads them once per coupon, not per request;
    // and once for all the requests that need them at the same moment (one read, not a stampede).
    private final Map<Long, CompletableFuture<Optional<CouponTerms>>> terms = new ConcurrentHashMap<>();
    private final ApplicationEventPublisher events;

    CouponService(Coupons coupons, IssuanceSettings settings, Clock clock, ApplicationEventPublisher events) {
        this.coupons = coupons;
        this.settings = settings;
        this.clock = clock;
        this.events = events;
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
        var coupon = coupons.save(new Coupon(request.name().strip(), request.description(), request.discountAmount(),
                request.totalQuantity(), request.perUserLimit() == null ? 1 : request.perUserLimit(),
                request.issueStartsAt(), request.issueEndsAt(), strategy, clock.instant()));
        terms.put(coupon.getId(), CompletableFuture.completedFuture(Optional.of(coupon.terms())));
        events.publishEvent(new CouponCreated(coupon.terms()));
        return CouponView.of(coupon);
    }

    public CouponView get(long id) {
        return coupons.findById(id).map(CouponView::of).orElseThrow(() -> notFound(id));
    }

    public CouponView.Page list(int page, int size) {
        var result = coupons.findAll(PageRequest.of(page, size, Sort.by(Sort.Direction.DESC, "id")));
        return new CouponView.Page(result.map(CouponView::of).getContent(), page, size, result.getTotalElements());
    }

    /** The coupon's unchanging terms, cached after the first read; an unknown id is not cached. */
    public Optional<CouponTerms> terms(long id) {
        var mine = new CompletableFuture<Optional<CouponTerms>>();
        var loading = terms.putIfAbsent(id, mine);
        if (loading != null) {
            return loading.join();
        }
        try {
            var loaded = coupons.findById(id).map(Coupon::terms);
            mine.complete(loaded);
            if (loaded.isEmpty()) {
                terms.remove(id, mine);
            }
            return loaded;
        } catch (RuntimeException e) {
            terms.remove(id, mine);
            mine.completeExceptionally(e);
            throw e;
        }
    }

    /** Coupons whose window is open now or opens within {@code lead}, the latest to open first, at most {@code max}. */
    public java.util.List<CouponTerms> openingOrOpen(java.time.Duration lead, int max) {
        var now = clock.instant();
        return coupons.findOpeningOrOpen(now, now.plus(lead), PageRequest.of(0, max)).stream().map(Coupon::terms).toList();
    }

    public static ApiException notFound(long id) {
        return new ApiException(ErrorCode.COUPON_NOT_FOUND, "Coupon " + id + " not found");
    }
}
