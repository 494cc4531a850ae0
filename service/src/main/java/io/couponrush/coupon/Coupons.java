package io.couponrush.coupon;

import java.time.Instant;
import java.util.List;

import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface Coupons extends JpaRepository<Coupon, Long> {

    @Query("SELECT c FROM Coupon c WHERE c.issueEndsAt > :now AND c.issueStartsAt <= :horizon ORDER BY c.issueStartsAt DESC")
    List<Coupon> findOpeningOrOpen(Instant now, Instant horizon, Pageable page);
}
