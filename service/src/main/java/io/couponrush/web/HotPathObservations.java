package io.couponrush.web;

import io.micrometer.observation.ObservationPredicate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.security.config.observation.SecurityObservationSettings;

/**
 * What is observed per request. Micrometer's observation of every HTTP request (a timer with URI and
 * outcome tags, an active-requests long-task timer, Spring Security's observation of each filter
 * chain, authentication and authorization) cost about a fifth of the service's CPU on the issue path
 * in the profile (README, Performance). So:
 * <ul>
 * <li>the issue endpoint is not observed as an HTTP request: it has its own outcome counter and
 * latency histogram ({@code couponrush.issue.outcomes}, {@code couponrush.issue.latency}), recorded
 * once per request around the strategy; nor is the load test's trivial endpoint, which stands for
 * the issue path's HTTP cost;</li>
 * <li>Spring Security's observations are off (they feed tracing, which this service does not
 * export);</li>
 * <li>every other endpoint keeps {@code http.server.requests}.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class HotPathObservations {

    static final String ISSUE_PREFIX = "/api/v1/coupons/";
    static final String ISSUE_SUFFIX = "/issue";
    static final String PING = "/api/v1/loadtest/ping";

    @Bean
    SecurityObservationSettings noSecurityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    ObservationPredicate hotPathsUnobserved() {
        return (name, context) -> !(context instanceof ServerRequestObservationContext request
                && hot(request.getCarrier().getRequestURI()));
    }

    static boolean hot(String uri) {
        return uri != null && (uri.equals(PING) || (uri.startsWith(ISSUE_PREFIX) && uri.endsWith(ISSUE_SUFFIX)));
    }
}
