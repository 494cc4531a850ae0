/** The native load generator (wrk) run beside Gatling, to cross-check its numbers on the same two cores. */
package io.couponrush.loadtest.wrk;
