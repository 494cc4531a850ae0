/** The error model (RFC 9457 problem details with a stable {@code code}) and shared web configuration. */
package io.couponrush.web;
