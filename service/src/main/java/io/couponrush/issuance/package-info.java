/** The issue endpoint: window checks, strategy dispatch, outcomes, metrics, and the user's coupons. */
package io.couponrush.issuance;
