/**
 * Fixtures for the load-test harness: bulk users with ready tokens, an admin token, and a trivial
 * endpoint that measures the HTTP stack's ceiling. Exists only under the {@code loadtest} profile, behind a
 * filter chain of its own that requires the shared secret {@code couponrush.loadtest.secret}.
 */
package io.couponrush.loadtest;
