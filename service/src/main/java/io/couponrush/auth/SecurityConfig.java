package io.couponrush.auth;

import java.time.Clock;
import java.util.Map;

import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.jwk.source.ImmutableSecret;
import io.couponrush.infra.Dependencies;
import io.couponrush.web.ErrorCode;
import io.couponrush.web.Problems;
import org.springdoc.core.customizers.ServerBaseUrlCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.MappedJwtClaimSetConverter;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;

@Configuration(proxyBeanMethods = false)
class SecurityConfig {

    private final Environment environment;
    private final boolean separateManagementPort;
    private volatile int managementPort; // known once the management server has started

    SecurityConfig(Environment environment) {
        this.environment = environment;
        var configured = environment.getProperty("management.server.port", Integer.class);
        // the same port as the application's is recognised once both have started (below)
        this.separateManagementPort = configured != null && configured >= 0;
    }

    /**
     * Runs for every request that reaches the authorization rules, so it reads the environment only
     * while the management server's port is not known yet (a property lookup with conversion per
     * request showed in the issue path's profile).
     */
    private boolean onManagementPort(jakarta.servlet.http.HttpServletRequest request) {
        if (!separateManagementPort) {
            return false;
        }
        int management = managementPort;
        if (management <= 0) {
            var started = environment.getProperty("local.management.port", Integer.class);
            if (started == null || started <= 0
                    || started.equals(environment.getProperty("local.server.port", Integer.class))) {
                return false;
            }
            managementPort = management = started;
        }
        return request.getLocalPort() == management;
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http, CurrentAccounts accounts, Dependencies dependencies) throws Exception {
        AuthenticationEntryPoint missingToken = (request, response, e) ->
                Problems.write(request, response, ErrorCode.UNAUTHORIZED, "A valid bearer token is required");
        http
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(HttpMethod.POST, "/api/v1/auth/signup", "/api/v1/auth/login", "/api/v1/auth/refresh",
                                "/api/v1/auth/logout").permitAll()
                        .requestMatchers(HttpMethod.GET, "/api/v1/coupons", "/api/v1/coupons/*", "/api/v1/coupons/*/queue",
                                "/api/v1/coupons/*/queue/draw").permitAll()
                        .requestMatchers(HttpMethod.POST, "/api/v1/coupons").hasRole("ADMIN")
                        .requestMatchers(HttpMethod.PUT, "/api/v1/coupons/*/terms").hasRole("ADMIN")
                        .requestMatchers(HttpMethod.PUT, "/api/v1/users/*/role").hasRole("ADMIN")
                        .requestMatchers("/api/v1/admin/**").hasRole("ADMIN")
                        .requestMatchers("/v3/api-docs/**", "/swagger-ui/**", "/swagger-ui.html").permitAll()
                        // the console's pages and scripts are public; what they show comes from the APIs above,
                        // each with its own rule (the live feed is under /api/v1/admin/**)
                        .requestMatchers(HttpMethod.GET, "/console", "/console/**", "/events", "/events/", "/webjars/**")
                        .permitAll()
                        // probes stay open (load balancers, the harness); metrics tell an attacker too much
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        // With management.server.port set, the actuator has a port of its own, which only
                        // the operator's network should reach (Prometheus scrapes it without a token). On
                        // the application's port the endpoints stay ADMIN-only.
                        .requestMatchers(this::onManagementPort).permitAll()
                        .requestMatchers("/actuator/**").hasRole("ADMIN")
                        .requestMatchers("/error").permitAll()
                        .anyRequest().authenticated())
                .oauth2ResourceServer(rs -> rs
                        .bearerTokenResolver(withoutAuthEndpoints())
                        .jwt(jwt -> jwt.jwtAuthenticationConverter(accounts))
                        .authenticationEntryPoint((request, response, e) -> {
                            switch (e) {
                                case CurrentAccounts.TokenRevoked _ -> Problems.write(request, response,
                                        ErrorCode.TOKEN_REVOKED, "This token was revoked by a role or password change; log in again");
                                case CurrentAccounts.AccountsUnavailable unavailable -> {
                                    dependencies.failed(unavailable.getCause());
                                    response.setHeader(HttpHeaders.RETRY_AFTER, "1");
                                    Problems.write(request, response, ErrorCode.OVERLOADED,
                                            "A backing server did not answer in time; try again");
                                }
                                default -> missingToken.commence(request, response, e);
                            }
                        }))
                .exceptionHandling(ex -> ex
                        .authenticationEntryPoint(missingToken)
                        .accessDeniedHandler((request, response, e) ->
                                Problems.write(request, response, ErrorCode.FORBIDDEN, "This needs a role you do not have")));
        return http.build();
    }

    /**
     * The auth endpoints take no access token: a client renewing an expired one may still send it, and
     * must not be answered 401 for it before the refresh runs.
     */
    private static org.springframework.security.oauth2.server.resource.web.BearerTokenResolver withoutAuthEndpoints() {
        var standard = new org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver();
        return request -> request.getRequestURI().startsWith("/api/v1/auth/") ? null : standard.resolve(request);
    }

    @Bean
    SecretKeySpec jwtKey(JwtProperties properties, Environment env) {
        boolean embedded = env.getProperty("couponrush.embedded.active", Boolean.class, false);
        return new SecretKeySpec(properties.signingKey(embedded), "HmacSHA256");
    }

    @Bean
    JwtEncoder jwtEncoder(SecretKeySpec jwtKey) {
        return new NimbusJwtEncoder(new ImmutableSecret<>(jwtKey));
    }

    /**
     * HS256 only (no algorithm confusion), signature first, then: {@code exp} required and checked with
     * 60 s of skew against the service's clock, {@code nbf} likewise when present, {@code iss} and
     * {@code aud} ours, {@code sub} an account id. The account itself is checked after decoding, by
     * {@link CurrentAccounts}. Each token is verified once and remembered until it expires
     * ({@link VerifiedTokens}).
     */
    @Bean
    JwtDecoder jwtDecoder(SecretKeySpec jwtKey, JwtProperties properties, Clock clock) {
        var decoder = NimbusJwtDecoder.withSecretKey(jwtKey).macAlgorithm(MacAlgorithm.HS256).build();
        // Our issuer is a name, not a URL: the default conversion tried URL first and threw (and caught)
        // an exception for every token verified.
        decoder.setClaimSetConverter(MappedJwtClaimSetConverter.withDefaults(
                Map.of(JwtClaimNames.ISS, issuer -> issuer == null ? null : issuer.toString())));
        var timestamps = new JwtTimestampValidator();
        timestamps.setClock(clock);
        timestamps.setAllowEmptyExpiryClaim(false);
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                timestamps,
                new JwtIssuerValidator(properties.issuer()),
                new JwtAudienceValidator(properties.audience()),
                new JwtClaimValidator<>(JwtClaimNames.SUB, SecurityConfig::isAccountId)));
        return properties.verifiedTokenCacheSize() == 0 ? decoder
                : new VerifiedTokens(decoder, timestamps, clock, properties.verifiedTokenCacheSize());
    }

    /** A positive long in its canonical form: what {@link TokenService} writes, nothing else. */
    static boolean isAccountId(Object subject) {
        if (!(subject instanceof String text) || text.isEmpty() || text.length() > 19) {
            return false;
        }
        try {
            long id = Long.parseLong(text);
            return id > 0 && Long.toString(id).equals(text);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    @Bean
    BoundedPasswordEncoder passwordEncoder(PasswordHashingSettings settings, io.micrometer.core.instrument.MeterRegistry meters) {
        var encoder = new BoundedPasswordEncoder(new BCryptPasswordEncoder(), settings.maxConcurrent(), settings.maxWait());
        // what a login storm costs, and how it was lined up (the opening-door bench reads these)
        io.micrometer.core.instrument.FunctionCounter.builder("couponrush.passwords.hashes", encoder, BoundedPasswordEncoder::hashes)
                .description("BCrypt hashes computed (sign-up, login, password change)").register(meters);
        io.micrometer.core.instrument.FunctionCounter.builder("couponrush.passwords.shed", encoder, BoundedPasswordEncoder::shedCount)
                .description("Password checks answered 503 with a turn in Retry-After").register(meters);
        io.micrometer.core.instrument.Gauge.builder("couponrush.passwords.in.line", encoder, BoundedPasswordEncoder::inLine)
                .description("Callers waiting for a hasher or hashing").register(meters);
        return encoder;
    }

    @Bean
    ServerBaseUrlCustomizer pinnedApiDocsServer(ApiDocsSettings settings) {
        return (computed, request) -> settings.serverUrl();
    }
}
