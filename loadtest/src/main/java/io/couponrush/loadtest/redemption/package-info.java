/**
 * The {@code redemption} bench: order systems spending copies (reserve, confirm, cancel) in storms of
 * concurrent checkouts per copy, the naive read-then-update against the conditional update, and an instance
 * killed between reserve and confirm; every copy checked to be in exactly one state.
 */
package io.couponrush.loadtest.redemption;
