/**
 * The {@code waiting-room} bench: a crowd on a coupon of few copies, with the room off (everyone presses
 * at the opening) and on (fifo, raffle: join, look again when told, press when admitted); what each costs,
 * whether admissions kept to the rate, whether the announced waits held, and whether the order was the
 * line's (or the revealed draw's).
 */
package io.couponrush.loadtest.room;
