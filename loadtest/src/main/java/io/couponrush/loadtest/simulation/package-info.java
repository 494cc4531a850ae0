/** Gatling simulations (one per scenario shape) and the record of every answer they saw. */
package io.couponrush.loadtest.simulation;
