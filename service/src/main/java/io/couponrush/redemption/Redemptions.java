package io.couponrush.redemption;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import io.couponrush.coupon.CouponService;
import io.couponrush.web.ApiException;
import io.couponrush.web.ErrorCode;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reserve, confirm, cancel: each copy spent at most once, under any concurrency, on any number of instances.
 *
 * <p>Why it holds. A copy is one row, and every change is one conditional {@code UPDATE} of it that states
 * the state it expects: a reserve takes a copy only if it is unused and free (no order, or a hold whose time
 * has passed), a confirm only if this order holds it and the hold has not lapsed, a cancel only if this order
 * holds or used it. InnoDB runs the updates of one row one after another and evaluates each condition on the
 * row as the previous one left it, so of N concurrent reserves exactly one matches, a confirm after the hold
 * lapsed matches nothing and uses nothing, and a cancel racing a confirm ends in one state either way. The
 * change and its line in {@code redemption_events} commit together.
 *
 * <p>Holds lapse by themselves: a hold is a time ({@code hold_until}), read by every use; a copy whose hold
 * passed is usable again without anything running, so an instance killed between reserve and confirm
 * strands nothing (at most for the hold, {@code couponrush.redemption.hold}). Validity likewise: a copy past
 * its validity reads {@code EXPIRED} and cannot be reserved; no job marks it.
 *
 * <p>Idempotent by order: the same reserve, confirm or cancel sent again answers what the first did.
 */
@Service
class Redemptions {

    private final JdbcClient jdbc;
    private final CouponService coupons;
    private final RedemptionSettings settings;
    private final Clock clock;
    private final TransactionTemplate tx;

    Redemptions(JdbcClient jdbc, CouponService coupons, RedemptionSettings settings, Clock clock,
            PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.coupons = coupons;
        this.settings = settings;
        this.clock = clock;
        this.tx = new TransactionTemplate(transactions);
    }

    /** A copy as its row says: who holds it, which order has it, until when, whether it was used. */
    record Copy(long id, long couponId, long userId, Instant issuedAt, String orderId, String orderClient, Instant holdUntil,
            Instant usedAt, Long orderAmount, Long discount, String releasedOrderId) {

        boolean heldBy(String order, Instant now) {
            return order.equals(orderId) && usedAt == null && holdUntil != null && holdUntil.isAfter(now);
        }

        boolean heldByAnother(String order, Instant now) {
            return orderId != null && !order.equals(orderId) && usedAt == null && holdUntil != null && holdUntil.isAfter(now);
        }
    }

    /** What an order system hears: the copy's state for the order, with the discount. */
    record Answer(String userCouponId, String orderId, String state, Long orderAmount, Long discount, Instant holdUntil,
            Instant usedAt) {

        static Answer of(Copy copy, String order, String state) {
            return new Answer(Long.toString(copy.id()), order, state, copy.orderAmount(), copy.discount(),
                    "RESERVED".equals(state) ? copy.holdUntil() : null, copy.usedAt());
        }
    }

    Answer reserve(String client, long copyId, long userId, String orderId, long orderAmount, boolean naive) {
        var now = now();
        var copy = copy(copyId).orElseThrow(() -> notFound(copyId));
        if (copy.userId() != userId) {
            throw new ApiException(ErrorCode.NOT_HOLDER, "Copy " + copyId + " is not held by user " + userId);
        }
        var terms = coupons.redemptionTerms(copy.couponId()).orElseThrow(() -> notFound(copyId));
        if (copy.usedAt() != null) {
            throw used(copy, orderId);
        }
        if (copy.heldBy(orderId, now) && !client.equals(copy.orderClient())) {
            throw heldByAnother(copy); // another order system's order of the same name
        }
        if (copy.heldBy(orderId, now) && copy.orderAmount() == orderAmount) {
            return Answer.of(copy, orderId, "RESERVED"); // the same request again: the same hold
        }
        if (orderId.equals(copy.releasedOrderId()) && copy.orderId() == null) {
            // this order gave the copy back: a reserve of it arriving late must not take it again
            throw new ApiException(ErrorCode.NOT_RESERVED, "Order " + orderId + " gave copy " + copyId
                    + " back; reserve it under a new order id");
        }
        if (copy.heldByAnother(orderId, now)) {
            throw heldByAnother(copy);
        }
        var expires = terms.expiresAt(copy.issuedAt());
        if (expires != null && !expires.isAfter(now)) {
            throw new ApiException(ErrorCode.COPY_EXPIRED, "Copy " + copyId + " expired at " + expires);
        }
        if (orderAmount < terms.minOrderAmount()) {
            throw new ApiException(ErrorCode.BELOW_MINIMUM_ORDER, "Copy " + copyId + " needs an order of at least "
                    + terms.minOrderAmount() + "; this one is " + orderAmount);
        }
        long discount = terms.discountFor(orderAmount);
        var holdUntil = now.plus(settings.hold());
        if (naive) {
            return naiveReserve(client, copy, orderId, orderAmount, discount, holdUntil, now);
        }
        boolean reserved = Boolean.TRUE.equals(tx.execute(status -> {
            // free, or a hold that lapsed, or this order's own (its amount changed): never another live hold, never used
            int taken = jdbc.sql("""
                    UPDATE user_coupons SET order_id = ?, order_client = ?, hold_until = ?, order_amount = ?, discount = ?,
                                            released_order_id = NULL
                    WHERE id = ? AND user_id = ? AND used_at IS NULL
                      AND (order_id IS NULL OR hold_until <= ? OR (order_id = ? AND order_client = ?))""")
                    .params(orderId, client, utc(holdUntil), orderAmount, discount, copyId, userId, utc(now), orderId, client)
                    .update();
            if (taken == 1) {
                event(copyId, orderId, "RESERVED", now);
            }
            return taken == 1;
        }));
        var after = copy(copyId).orElseThrow(() -> notFound(copyId));
        if (!reserved) {
            throw after.usedAt() != null ? used(after, orderId) : heldByAnother(after);
        }
        return Answer.of(after, orderId, "RESERVED");
    }

    Answer confirm(String client, long copyId, String orderId, boolean naive) {
        var now = now();
        if (naive) {
            return naiveConfirm(copyId, orderId, now);
        }
        boolean confirmed = Boolean.TRUE.equals(tx.execute(status -> {
            int used = jdbc.sql("UPDATE user_coupons SET used_at = ? WHERE id = ? AND order_id = ? AND order_client = ? "
                            + "AND used_at IS NULL AND hold_until > ?")
                    .params(utc(now), copyId, orderId, client, utc(now)).update();
            if (used == 1) {
                event(copyId, orderId, "USED", now);
            }
            return used == 1;
        }));
        var copy = copy(copyId).orElseThrow(() -> notFound(copyId));
        boolean ours = orderId.equals(copy.orderId()) && client.equals(copy.orderClient());
        if (confirmed || copy.usedAt() != null && ours) {
            return Answer.of(copy, orderId, "USED"); // confirmed now, or the same confirm again
        }
        if (copy.usedAt() != null) {
            throw used(copy, orderId);
        }
        if (ours) {
            throw new ApiException(ErrorCode.HOLD_LAPSED, "The hold of copy " + copyId + " for order " + orderId + " lapsed at "
                    + copy.holdUntil() + "; nothing was used: reserve it again");
        }
        if (copy.heldByAnother(orderId, now)) {
            throw heldByAnother(copy);
        }
        throw new ApiException(ErrorCode.NOT_RESERVED, "Copy " + copyId + " is not held for order " + orderId + "; reserve it first");
    }

    /**
     * The order gives the copy back: released before it was confirmed, or restored after (the order was
     * cancelled after payment). Either way it is usable again by the next order.
     */
    Answer cancel(String client, long copyId, String orderId) {
        var now = now();
        String ended = tx.execute(status -> {
            var was = jdbc.sql("SELECT used_at FROM user_coupons WHERE id = ? AND order_id = ? AND order_client = ? FOR UPDATE")
                    .params(copyId, orderId, client).query((rs, n) -> rs.getObject(1) != null).optional();
            if (was.isEmpty()) {
                return null;
            }
            boolean restored = was.get();
            jdbc.sql("""
                    UPDATE user_coupons SET order_id = NULL, order_client = NULL, hold_until = NULL, used_at = NULL,
                                            order_amount = NULL, discount = NULL, released_order_id = ?, restored = restored + ?
                    WHERE id = ? AND order_id = ? AND order_client = ?""")
                    .params(orderId, restored ? 1 : 0, copyId, orderId, client).update();
            var event = restored ? "RESTORED" : "RELEASED";
            event(copyId, orderId, event, now);
            return event;
        });
        var copy = copy(copyId).orElseThrow(() -> notFound(copyId));
        if (ended != null || orderId.equals(copy.releasedOrderId()) && copy.orderId() == null) {
            return Answer.of(copy, orderId, "ISSUED"); // given back now, or the same cancel again (nobody took it since)
        }
        if (copy.usedAt() != null && !orderId.equals(copy.orderId())) {
            throw used(copy, orderId);
        }
        throw new ApiException(ErrorCode.NOT_RESERVED, "Copy " + copyId + " is not held or used by order " + orderId
                + (copy.orderId() != null ? "" : " (nor given back by it since another order took it)"));
    }

    /**
     * The way the seeds' generation of code spends a coupon, for the benchmark's side-by-side: read the row,
     * decide in Java, write without a condition. Two orders read "free" at once and both reserve; both read
     * "unused" and both confirm: one copy, two orders served (the audit counts it).
     */
    private Answer naiveReserve(String client, Copy copy, String orderId, long orderAmount, long discount, Instant holdUntil,
            Instant now) {
        tx.executeWithoutResult(status -> {
            jdbc.sql("UPDATE user_coupons SET order_id = ?, order_client = ?, hold_until = ?, order_amount = ?, discount = ? WHERE id = ?")
                    .params(orderId, client, utc(holdUntil), orderAmount, discount, copy.id()).update();
            event(copy.id(), orderId, "RESERVED", now);
        });
        return new Answer(Long.toString(copy.id()), orderId, "RESERVED", orderAmount, discount, holdUntil, null);
    }

    private Answer naiveConfirm(long copyId, String orderId, Instant now) {
        var copy = copy(copyId).orElseThrow(() -> notFound(copyId));
        if (copy.usedAt() != null && !orderId.equals(copy.orderId())) {
            throw used(copy, orderId);
        }
        tx.executeWithoutResult(status -> {
            jdbc.sql("UPDATE user_coupons SET used_at = ? WHERE id = ?").params(utc(now), copyId).update();
            event(copyId, orderId, "USED", now);
        });
        return new Answer(Long.toString(copyId), orderId, "USED", copy.orderAmount(), copy.discount(), null, now);
    }

    Optional<Copy> copy(long copyId) {
        return jdbc.sql("""
                SELECT id, coupon_id, user_id, issued_at, order_id, order_client, hold_until, used_at, order_amount, discount,
                       released_order_id
                FROM user_coupons WHERE id = ?""")
                .param(copyId)
                .query((rs, n) -> new Copy(rs.getLong(1), rs.getLong(2), rs.getLong(3), instant(rs.getObject(4, LocalDateTime.class)),
                        rs.getString(5), rs.getString(6), instant(rs.getObject(7, LocalDateTime.class)),
                        instant(rs.getObject(8, LocalDateTime.class)), (Long) rs.getObject(9, Long.class), (Long) rs.getObject(10, Long.class),
                        rs.getString(11)))
                .optional();
    }

    private void event(long copyId, String orderId, String event, Instant at) {
        jdbc.sql("INSERT INTO redemption_events (user_coupon_id, order_id, event, at) VALUES (?, ?, ?, ?)")
                .params(copyId, orderId, event, utc(at)).update();
    }

    private static ApiException used(Copy copy, String orderId) {
        return new ApiException(ErrorCode.ALREADY_USED, "Copy " + copy.id() + " was used"
                + (orderId.equals(copy.orderId()) ? " by this order" : " by another order") + " at " + copy.usedAt());
    }

    private static ApiException heldByAnother(Copy copy) {
        return new ApiException(ErrorCode.RESERVED_BY_ANOTHER_ORDER, "Copy " + copy.id() + " is held for another order until "
                + copy.holdUntil());
    }

    private static ApiException notFound(long copyId) {
        return new ApiException(ErrorCode.COPY_NOT_FOUND, "No copy " + copyId);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static Instant instant(LocalDateTime utc) {
        return utc == null ? null : utc.toInstant(ZoneOffset.UTC);
    }

    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
