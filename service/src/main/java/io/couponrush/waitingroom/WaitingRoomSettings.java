package io.couponrush.waitingroom;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param admitEvery     how often each instance runs the admission step of the rooms that are open (all
 *                       instances do; the step in Redis keeps the total to the rate whoever runs it)
 * @param maxAutoRate    {@code auto} rooms admit at most this many people per second
 * @param stockFreshFor  how long an instance answers the line from the stock it read last
 * @param discoverEvery  how often each instance looks for rooms that opened
 * @param holdingsFreshFor how long an instance answers a press after a turn ended from what it read the person
 *                       holds
 * @param rebuildWait    how long a request waits for this instance's rebuild of a line under way before it is
 *                       answered 503 (a rebuild stuck on a server must not hold every request of the coupon)
 * @param joinWriteWait  how long a join waits for the group commit that holds it before it is answered 503;
 *                       longer than the slowest commit the bench saw (9.5 s at p99, two cores far past saturation),
 *                       so it bounds a hang, not a busy moment
 * @param reconcileEvery how often each instance compares the line of each open room in Redis with the database,
 *                       and gives Redis back what it lost
 * @param revealAfterOpening how long after a raffle's window opens its seed and draw are published on the line's
 *                       endpoints: more than the clocks of the instances can differ by
 */
@ConfigurationProperties("couponrush.waiting-room")
record WaitingRoomSettings(
        @DefaultValue("200ms") Duration admitEvery,
        @DefaultValue("500") double maxAutoRate,
        @DefaultValue("500ms") Duration stockFreshFor,
        @DefaultValue("2s") Duration discoverEvery,
        @DefaultValue("5s") Duration holdingsFreshFor,
        @DefaultValue("5s") Duration rebuildWait,
        @DefaultValue("10s") Duration joinWriteWait,
        @DefaultValue("5s") Duration reconcileEvery,
        @DefaultValue("10s") Duration revealAfterOpening) {

    WaitingRoomSettings {
        if (!admitEvery.isPositive() || !stockFreshFor.isPositive() || !discoverEvery.isPositive()
                || !holdingsFreshFor.isPositive() || !rebuildWait.isPositive() || !joinWriteWait.isPositive()
                || !reconcileEvery.isPositive() || revealAfterOpening.isNegative() || maxAutoRate <= 0) {
            throw new IllegalArgumentException(
                    "couponrush.waiting-room: every setting must be positive (reveal-after-opening may be zero)");
        }
    }

    /** These settings with another {@code join-write-wait} (a test waits a moment, not ten seconds). */
    WaitingRoomSettings withJoinWriteWait(Duration wait) {
        return new WaitingRoomSettings(admitEvery, maxAutoRate, stockFreshFor, discoverEvery, holdingsFreshFor, rebuildWait, wait,
                reconcileEvery, revealAfterOpening);
    }
}
