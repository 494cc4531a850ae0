package io.couponrush.coupon;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.couponrush.web.ApiException;
import io.couponrush.web.ErrorCode;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;

@Service
public class CouponService {

    private final Coupons coupons;
    private final IssuanceSettings settings;
    private final Clock clock;
    // Terms never change after creation, so the issue path reads them once per coupon, not per request.
    private final Map<Long, CouponTerms> terms = new ConcurrentHashMap<>();

    CouponService(Coupons coupons, IssuanceSettings settings, Clock clock) {
        this.coupons = coupons;
        this.settings = settings;
        this.clock = clock;
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
        return CouponView.of(coupon);
    }

    public CouponView get(long id) {
        return coupons.findById(id).map(CouponView::of).orElseThrow(() -> notFound(id));
    }

    public CouponView.Page list(int page, int size) {
        var result = coupons.findAll(PageRequest.of(page, size, Sort.by(Sort.Direction.DESC, "id")));
        return new CouponView.Page(result.map(CouponView::of).getContent(), page, size, result.getTotalElements());
    }

    /** The coupon's unchanging terms, cached after the first read. */
    public Optional<CouponTerms> terms(long id) {
        var cached = terms.get(id);
        if (cached != null) {
            return Optional.of(cached);
        }
        var loaded = coupons.findById(id).map(Coupon::terms);
        loaded.ifPresent(t -> terms.put(id, t));
        return loaded;
    }

    public static ApiException notFound(long id) {
        return new ApiException(ErrorCode.COUPON_NOT_FOUND, "Coupon " + id + " not found");
    }
}
