package io.couponrush.loadtest.room;

/**
 * One look at the line's public numbers ({@code GET /api/v1/coupons/{id}/queue}: Redis's, the same on every
 * instance).
 *
 * @param atMillis when the answer came, milliseconds since the opening: the service computed the numbers at
 *                 or before it
 */
record LineSample(long atMillis, long waiting, long admitted, long inTurn, long issued, long copiesLeft) {
}
