/**
 * The fault-injection harness: its own MariaDB, Redis and several service instances as real
 * processes, a rush of retrying clients, one fault per run (kill -9, SIGSTOP, a killed Redis or
 * MariaDB), and a verdict on every answer the clients saw against the rows in the database.
 */
package io.couponrush.loadtest.faults;
