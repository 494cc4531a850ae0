package io.couponrush.audit;

import io.couponrush.coupon.CouponService;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** ADMIN only (see the security configuration). */
@RestController
class AuditController {

    private final CouponAudit audit;

    AuditController(CouponAudit audit) {
        this.audit = audit;
    }

    @GetMapping("/api/v1/admin/coupons/{id}/audit")
    AuditReport audit(@PathVariable long id) {
        return audit.audit(id).orElseThrow(() -> CouponService.notFound(id));
    }
}
