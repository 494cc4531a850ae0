/** Coupon definitions (admin), listing, the stock view, and which strategy settles each coupon. */
package io.couponrush.coupon;
