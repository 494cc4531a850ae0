/**
 * Waiting rooms: a line per coupon, opened before its window, from which people are admitted at a rate
 * (fifo, or a provably fair raffle for those who came before the opening); only the admitted may issue.
 */
package io.couponrush.waitingroom;
