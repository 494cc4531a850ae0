/**
 * The {@code opening-door} bench: a crowd whose access tokens ran out just before a sale opens presses
 * at once, and renews its tokens either by refresh (no BCrypt) or by logging in again (one BCrypt each,
 * through the service's password line); what the opening cost each way.
 */
package io.couponrush.loadtest.door;
