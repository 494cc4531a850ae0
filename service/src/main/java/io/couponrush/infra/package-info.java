/** Plumbing the features stand on: the embedded MariaDB/Redis default, the clock, id generation. */
package io.couponrush.infra;
