/**
 * Processes and connections the newer scenarios share: the harness's own MariaDB, Redis and service
 * instances started and stopped as one stack, and a pool of keep-alive connections standing for the proxy
 * in front of an instance.
 */
package io.couponrush.loadtest.cluster;
