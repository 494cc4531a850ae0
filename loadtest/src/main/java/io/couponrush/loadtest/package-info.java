/** The bench runner: starts the service, prepares users and coupons, runs every strategy, audits, reports. */
package io.couponrush.loadtest;
