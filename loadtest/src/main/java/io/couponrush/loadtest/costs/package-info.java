/**
 * What a request costs each tier, from the servers' own counters: CPU time of every process (service
 * instances, MariaDB, Redis, HAProxy, the generator) from {@code /proc}, Redis's {@code INFO}, MariaDB's
 * {@code SHOW GLOBAL STATUS}; per run and phase, for the summary and {@code costs.json}.
 */
package io.couponrush.loadtest.costs;
