package io.couponrush.coupon;

import java.net.URI;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/coupons")
class CouponController {

    private final CouponService coupons;

    CouponController(CouponService coupons) {
        this.coupons = coupons;
    }

    /** ADMIN only (see the security configuration). */
    @PostMapping
    ResponseEntity<CouponView> create(@Valid @RequestBody CouponRequests.Create request) {
        var coupon = coupons.create(request);
        return ResponseEntity.created(URI.create("/api/v1/coupons/" + coupon.id())).body(coupon);
    }

    @GetMapping
    CouponView.Page list(@RequestParam(defaultValue = "0") @Min(0) @Max(100_000) int page,
            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
        return coupons.list(page, size);
    }

    @GetMapping("/{id}")
    CouponView get(@PathVariable long id) {
        return coupons.get(id);
    }

    /** ADMIN only. What a copy is worth at checkout; only while no copy is issued ({@code 409 TERMS_LOCKED} after). */
    @org.springframework.web.bind.annotation.PutMapping("/{id}/terms")
    CouponView terms(@PathVariable long id, @Valid @RequestBody CouponRequests.Terms request) {
        return coupons.changeTerms(id, request);
    }
}
