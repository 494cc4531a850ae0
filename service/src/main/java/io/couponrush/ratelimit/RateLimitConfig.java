package io.couponrush.ratelimit;

import io.couponrush.auth.DeviceTokens;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class RateLimitConfig {

    /**
     * Right after Spring Security's chain: the issue limit needs the authenticated subject, and a
     * request the chain refuses (no token, bad token) costs no bucket.
     */
    @Bean
    FilterRegistrationBean<RateLimitFilter> rateLimitFilter(RateLimiter limiter, DeviceTokens devices) {
        var registration = new FilterRegistrationBean<>(new RateLimitFilter(limiter, devices));
        registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER + 1);
        return registration;
    }
}
