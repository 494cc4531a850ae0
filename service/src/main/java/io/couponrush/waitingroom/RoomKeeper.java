package io.couponrush.waitingroom;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.couponrush.coupon.CouponService;
import io.couponrush.coupon.CouponTerms;
import io.couponrush.infra.Periodic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Runs the admission step of every room whose window is open, on every instance. Running it on all of
 * them costs two scripts per room per step each, and buys that the line moves as long as any instance lives;
 * the step itself keeps the total to the rate ({@link Line}). Every {@code reconcile-every} it also compares
 * the line of each room whose line is open (window open or not yet) with the database ({@link Rooms#reconcile}).
 */
@Component
class RoomKeeper extends Periodic {

    private static final Logger log = LoggerFactory.getLogger(RoomKeeper.class);

    private final Rooms rooms;
    private final CouponService coupons;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final WaitingRoomSettings settings;
    private volatile List<Long> open = List.of();
    private volatile Instant lookedAt = Instant.MIN;
    private final Map<Long, Instant> reconciledAt = new ConcurrentHashMap<>();

    RoomKeeper(Rooms rooms, CouponService coupons, JdbcClient jdbc, Clock clock, WaitingRoomSettings settings) {
        super("waiting-rooms", settings.admitEvery(), settings.admitEvery(), log);
        this.rooms = rooms;
        this.coupons = coupons;
        this.jdbc = jdbc;
        this.clock = clock;
        this.settings = settings;
    }

    @Override
    protected void runOnce() {
        var now = clock.instant();
        // this step's own list: a step running at the same time (a test's, beside the timer's) may replace the field
        var roomIds = open;
        if (!now.isBefore(lookedAt.plus(settings.discoverEvery())) || now.isBefore(lookedAt)) {
            // rooms opening before the next look too: their first step comes at the opening, not up to a look later
            // lines open before their windows are kept whole too (admission waits for the window)
            roomIds = jdbc.sql("SELECT id FROM coupons WHERE room_mode IS NOT NULL AND room_line_opens_at <= ? AND issue_ends_at > ?")
                    .params(utc(now.plus(settings.discoverEvery())), utc(now)).query(Long.class).list();
            open = roomIds;
            lookedAt = now;
            reconciledAt.keySet().retainAll(roomIds);
        }
        for (var couponId : roomIds) {
            try {
                coupons.terms(couponId)
                        .filter(c -> c.room() != null && !now.isBefore(c.room().lineOpensAt()) && now.isBefore(c.endsAt()))
                        .ifPresent(coupon -> keep(coupon, now));
            } catch (RuntimeException e) {
                log.debug("Admission step of coupon {} failed (next in {} ms): {}", couponId, settings.admitEvery().toMillis(),
                        e.getMessage());
            }
        }
    }

    private void keep(CouponTerms coupon, Instant now) {
        var last = reconciledAt.get(coupon.id());
        if (last == null || !now.isBefore(last.plus(settings.reconcileEvery())) || now.isBefore(last)) {
            reconciledAt.put(coupon.id(), now);
            try {
                rooms.reconcile(coupon); // first: the step admits from a whole line
            } catch (RuntimeException e) {
                log.debug("Reconciling the line of coupon {} failed (next in {} ms): {}", coupon.id(),
                        settings.reconcileEvery().toMillis(), e.getMessage());
            }
        }
        if (!now.isBefore(coupon.startsAt())) {
            rooms.admit(coupon, now);
        }
    }

    /** For tests: look for open rooms at the next step, whatever the clock says. */
    void lookAgain() {
        lookedAt = Instant.MIN;
    }

    private static java.time.LocalDateTime utc(Instant instant) {
        return java.time.LocalDateTime.ofInstant(instant, java.time.ZoneOffset.UTC);
    }
}
