package io.couponrush.loadtest;

import io.couponrush.web.ErrorCode;
import io.couponrush.web.Problems;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;

/**
 * The fixtures' own filter chain, present only under the {@code loadtest} profile: everything under
 * {@code /api/v1/loadtest/} needs the shared secret (when one is set), except the ping, which goes
 * through the main chain with a user's token like the issue endpoint it is the ceiling of.
 * Outside the profile this chain does not exist, and the main chain asks for a token.
 */
@Configuration(proxyBeanMethods = false)
@Profile("loadtest")
class LoadTestSecurity {

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    SecurityFilterChain loadTestFixturesChain(HttpSecurity http, LoadTestSettings settings, Environment env) throws Exception {
        settings.requireUsable(env.getProperty("couponrush.embedded.active", Boolean.class, false));
        var paths = PathPatternRequestMatcher.withDefaults();
        http
                .securityMatcher(new AndRequestMatcher(paths.matcher("/api/v1/loadtest/**"),
                        new NegatedRequestMatcher(paths.matcher(HttpMethod.GET, "/api/v1/loadtest/ping"))))
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(auth -> auth.anyRequest().access((authentication, context) ->
                        new AuthorizationDecision(settings.admits(context.getRequest().getHeader(LoadTestSettings.HEADER)))))
                .exceptionHandling(ex -> ex
                        .authenticationEntryPoint((request, response, e) -> Problems.write(request, response,
                                ErrorCode.UNAUTHORIZED, "The load-test fixtures need the " + LoadTestSettings.HEADER + " header"))
                        .accessDeniedHandler((request, response, e) -> Problems.write(request, response,
                                ErrorCode.UNAUTHORIZED, "The load-test fixtures need the " + LoadTestSettings.HEADER + " header")));
        return http.build();
    }
}
