package io.couponrush.issuance.strategy;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The coupon row as the seeds' first version mapped it: no version, so dirty checking writes
 * {@code SET remaining = <what this transaction computed>} and a concurrent decrement is lost.
 */
@Entity(name = "NaiveCoupon")
@Table(name = "coupons")
class NaiveCoupon {

    @Id
    private Long id;

    @Column(nullable = false)
    private int remaining;

    protected NaiveCoupon() {
    }

    int remaining() {
        return remaining;
    }

    void decrease() {
        remaining--;
    }
}
