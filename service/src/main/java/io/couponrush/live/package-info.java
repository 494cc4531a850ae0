/**
 * The live feed of one coupon (Server-Sent Events for the admin console): answers per second by outcome,
 * latency percentiles, remaining stock and the audit, sampled once per coupon for all its watchers.
 */
package io.couponrush.live;
