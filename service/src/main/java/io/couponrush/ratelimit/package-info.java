/** Abuse limits that hold across instances: token buckets in Redis (Bucket4j) per client IP, email and user. */
package io.couponrush.ratelimit;
