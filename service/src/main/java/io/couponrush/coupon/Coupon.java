package io.couponrush.coupon;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.annotations.DynamicUpdate;

@Entity
@Table(name = "coupons")
@DynamicUpdate // write only what changed: remaining and version, not the whole row
public class Coupon {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, length = 100)
    private String name;

    @Column(length = 500)
    private String description;

    @Column(name = "discount_amount", nullable = false)
    private long discountAmount;

    @Column(name = "total_quantity", nullable = false)
    private int totalQuantity;

    @Column(nullable = false)
    private int remaining;

    @Column(name = "per_user_limit", nullable = false)
    private int perUserLimit;

    @Column(name = "issue_starts_at", nullable = false)
    private Instant issueStartsAt;

    @Column(name = "issue_ends_at", nullable = false)
    private Instant issueEndsAt;

    @Column(nullable = false, length = 20)
    private Strategy strategy;

    /** {@code redis-gate}: how many gates, in different hash slots, share the stock (1: one gate). */
    @Column(name = "sub_gates", nullable = false)
    private int subGates = 1;

    /** Only the {@code optimistic} strategy relies on it; every JPA write bumps it. */
    @Version
    private long version;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "discount_type", nullable = false, length = 8)
    @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
    private RedemptionTerms.Type discountType = RedemptionTerms.Type.FIXED;

    @Column(name = "discount_percent")
    private Integer discountPercent;

    @Column(name = "max_discount")
    private Long maxDiscount;

    @Column(name = "min_order_amount", nullable = false)
    private long minOrderAmount;

    @Column(name = "valid_until")
    private Instant validUntil;

    @Column(name = "valid_days")
    private Integer validDays;

    @Column(name = "room_mode", length = 8)
    @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
    private WaitingRoom.Mode roomMode;

    @Column(name = "room_line_opens_at")
    private Instant roomLineOpensAt;

    @Column(name = "room_admit_per_second")
    private Double roomAdmitPerSecond;

    @Column(name = "room_turn_seconds")
    private Integer roomTurnSeconds;

    @Column(name = "room_seed", columnDefinition = "BINARY(32)")
    private byte[] roomSeed;

    protected Coupon() {
    }

    Coupon(String name, String description, long discountAmount, int totalQuantity, int perUserLimit,
            Instant issueStartsAt, Instant issueEndsAt, Strategy strategy, Instant createdAt) {
        this.name = name;
        this.description = description;
        this.discountAmount = discountAmount;
        this.totalQuantity = totalQuantity;
        this.remaining = totalQuantity;
        this.perUserLimit = perUserLimit;
        this.issueStartsAt = issueStartsAt;
        this.issueEndsAt = issueEndsAt;
        this.strategy = strategy;
        this.createdAt = createdAt;
    }

    /** What a copy is worth at checkout; only before a copy is issued (see CouponService). */
    void redemptionTerms(RedemptionTerms terms) {
        discountType = terms.type();
        discountAmount = terms.amount();
        discountPercent = terms.percent();
        maxDiscount = terms.maxDiscount();
        minOrderAmount = terms.minOrderAmount();
        validUntil = terms.validUntil();
        validDays = terms.validDays();
    }

    public RedemptionTerms getRedemptionTerms() {
        return new RedemptionTerms(discountType, discountAmount, discountPercent, maxDiscount, minOrderAmount, validUntil, validDays);
    }

    /** Gives the coupon a waiting room; only before it is first saved. */
    void waitingRoom(WaitingRoom room) {
        roomMode = room.mode();
        roomLineOpensAt = room.lineOpensAt();
        roomAdmitPerSecond = room.admitPerSecond();
        roomTurnSeconds = (int) room.turn().toSeconds();
        roomSeed = room.seed();
    }

    public WaitingRoom getWaitingRoom() {
        return roomMode == null ? null : new WaitingRoom(roomMode, roomLineOpensAt, roomAdmitPerSecond,
                java.time.Duration.ofSeconds(roomTurnSeconds), roomSeed);
    }

    /** Takes one copy from the stock held by this (already locked or versioned) entity. */
    public boolean takeOne() {
        if (remaining <= 0) {
            return false;
        }
        remaining--;
        return true;
    }

    public Long getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public String getDescription() {
        return description;
    }

    public long getDiscountAmount() {
        return discountAmount;
    }

    public int getTotalQuantity() {
        return totalQuantity;
    }

    public int getRemaining() {
        return remaining;
    }

    public int getPerUserLimit() {
        return perUserLimit;
    }

    public Instant getIssueStartsAt() {
        return issueStartsAt;
    }

    public Instant getIssueEndsAt() {
        return issueEndsAt;
    }

    public Strategy getStrategy() {
        return strategy;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    void subGates(int subGates) {
        this.subGates = subGates;
    }

    public int getSubGates() {
        return subGates;
    }

    public CouponTerms terms() {
        return new CouponTerms(id, totalQuantity, perUserLimit, issueStartsAt, issueEndsAt, strategy, getWaitingRoom(),
                subGates);
    }
}
