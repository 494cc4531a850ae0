/**
 * The capacity model: from the measured cost of a request per tier ({@code costs.json}) and a sale (copies,
 * people, seconds, retries, arrival curve), how many instances, what load on the coupon's Redis shard and on
 * the database; a fluid prediction for one shared machine; and a small seeded discrete-event simulation of
 * the same fleet ({@code capacity --simulate}).
 */
package io.couponrush.loadtest.capacity;
