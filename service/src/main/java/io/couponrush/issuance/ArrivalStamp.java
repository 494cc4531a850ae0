package io.couponrush.issuance;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Stamps every issue request with the moment the server received it, before anything else runs
 * (authentication included): the order first come, first served is judged by. One clock read.
 */
@Configuration(proxyBeanMethods = false)
public class ArrivalStamp {

    static final String ATTRIBUTE = ArrivalStamp.class.getName();

    /** When the server received the request (any request under {@code /api/v1/coupons/}), to the microsecond. */
    public static Instant of(HttpServletRequest request, Clock clock) {
        return request.getAttribute(ATTRIBUTE) instanceof Instant stamped ? stamped : now(clock);
    }

    private static Instant now(Clock clock) {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> arrivalStampFilter(Clock clock) {
        var registration = new FilterRegistrationBean<OncePerRequestFilter>(new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                request.setAttribute(ATTRIBUTE, now(clock));
                chain.doFilter(request, response);
            }
        });
        registration.addUrlPatterns("/api/v1/coupons/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
