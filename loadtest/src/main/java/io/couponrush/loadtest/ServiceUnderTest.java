package io.couponrush.loadtest;

import java.net.URI;

/** What the bench drives: one service process, or several behind HAProxy. */
interface ServiceUnderTest {

    /** Where the load, the fixtures and the audit go. */
    URI baseUri();

    /** Every process it needs is still running. */
    boolean alive();

    /** Which process died, with the end of its log. */
    String whyNotAlive();
}
