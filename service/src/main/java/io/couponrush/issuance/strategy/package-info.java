/** One final class per concurrency strategy, each named after its mechanism, behind {@link io.couponrush.issuance.Issuer}. */
package io.couponrush.issuance.strategy;
