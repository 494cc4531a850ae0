package io.couponrush.auth;

import java.util.Map;

import io.couponrush.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.password.PasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;

/** A sign-up or login that finds every hasher busy is turned away with 503, writing nothing. */
class PasswordHashingIntegrationTest extends IntegrationTest {

    @Test
    void answersOverloadedWhenEveryHasherIsBusy() throws Exception {
        var permits = ((BoundedPasswordEncoder) context.getBean(PasswordEncoder.class)).permits();
        int all = permits.drainPermits();
        var before = fixtures.tableCounts();
        try {
            var signup = api.post("/api/v1/auth/signup", null,
                    Map.of("email", "storm-" + System.nanoTime() + "@test.io", "password", "storm-passw0rd", "nickname", "s"));
            var login = api.post("/api/v1/auth/login", null, Map.of("email", "nobody@test.io", "password", "passw0rd-x"));

            for (var answer : java.util.List.of(signup, login)) {
                assertThat(answer.status()).as(answer.body()).isEqualTo(503);
                assertThat(answer.isProblem()).isTrue();
                assertThat(answer.code()).isEqualTo("OVERLOADED");
                assertThat(answer.headers().firstValue("Retry-After")).isPresent();
            }
            assertThat(fixtures.tableCounts()).isEqualTo(before);
        } finally {
            permits.release(all);
        }
        assertThat(api.post("/api/v1/auth/login", null, Map.of("email", "nobody@test.io", "password", "passw0rd-x")).code())
                .isEqualTo("BAD_CREDENTIALS");
    }
}
