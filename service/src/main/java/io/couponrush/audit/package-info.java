/** The integrity audit of one coupon (invariants I1 and I2), computed from the database alone. */
package io.couponrush.audit;
