package io.couponrush.redemption;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import io.couponrush.web.ErrorCode;
import io.couponrush.web.Problems;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Who may redeem: order systems, each with a client id and a secret, over HTTP Basic on a filter chain of
 * their own. A shopper's token opens nothing here: the shopper is named in the request by the order system,
 * which has authenticated them its own way. Secrets are long random strings, so they are stored and compared
 * as SHA-256 (constant time), not with BCrypt: a redemption must not cost a password hash.
 */
@Configuration(proxyBeanMethods = false)
class OrderSystems {

    static final String DEV_CLIENT = "orders";
    static final String DEV_SECRET = "orders-development-secret";

    @Bean
    @Order(1)
    SecurityFilterChain redemptionChain(HttpSecurity http, RedemptionSettings settings, Environment env) throws Exception {
        var clients = settings.clients();
        if (clients.isEmpty() && env.getProperty("couponrush.embedded.active", Boolean.class, false)) {
            clients = List.of(new RedemptionSettings.Client(DEV_CLIENT, sha256(DEV_SECRET)));
        }
        var known = List.copyOf(clients);
        UserDetailsService lookup = id -> known.stream().filter(c -> c.id().equals(id)).findFirst()
                .map(c -> User.withUsername(c.id()).password(c.secretSha256().toLowerCase(java.util.Locale.ROOT))
                        .roles("ORDER_SYSTEM").build())
                .orElseThrow(() -> new UsernameNotFoundException("no such order system"));
        var provider = new DaoAuthenticationProvider(lookup);
        provider.setPasswordEncoder(new Sha256Secrets());
        http.securityMatcher("/api/v1/redemptions/**")
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authenticationManager(new ProviderManager(provider))
                .httpBasic(basic -> basic.authenticationEntryPoint((request, response, e) -> {
                    response.setHeader("WWW-Authenticate", "Basic realm=\"couponrush-redemptions\"");
                    Problems.write(request, response, ErrorCode.UNAUTHORIZED, "An order system's client id and secret are required");
                }))
                .authorizeHttpRequests(auth -> auth.anyRequest().hasRole("ORDER_SYSTEM"))
                .exceptionHandling(ex -> ex.accessDeniedHandler((request, response, e) ->
                        Problems.write(request, response, ErrorCode.FORBIDDEN, "Only order systems may redeem")));
        return http.build();
    }

    static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A secret matches the stored SHA-256 of it; compared in constant time. */
    static final class Sha256Secrets implements PasswordEncoder {

        @Override
        public String encode(CharSequence raw) {
            return sha256(raw.toString());
        }

        @Override
        public boolean matches(CharSequence raw, String stored) {
            return raw != null && stored != null && MessageDigest.isEqual(sha256(raw.toString()).getBytes(StandardCharsets.US_ASCII),
                    stored.getBytes(StandardCharsets.US_ASCII));
        }
    }
}
