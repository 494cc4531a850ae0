/**
 * The pages the service serves itself (static files under {@code static/console/}): the admin console
 * at {@code /console} and the event page at {@code /events}.
 */
package io.couponrush.console;
