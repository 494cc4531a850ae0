package io.couponrush.coupon;

import org.springframework.data.jpa.repository.JpaRepository;

public interface Coupons extends JpaRepository<Coupon, Long> {
}
