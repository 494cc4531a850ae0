package io.couponrush.auth;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.couponrush.IntegrationTest;
import io.couponrush.support.TestApi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the service accepts as a bearer token, tried with tokens forged with the service's own key
 * (as an attacker who leaked it, or a buggy issuer, would make them): only HS256, only with
 * {@code exp}, our {@code iss} and {@code aud}, a numeric {@code sub} that is an account, and the
 * account's current token version.
 */
class TokenValidationIntegrationTest extends IntegrationTest {

    private static final String MINE = "/api/v1/users/me/coupons";

    private byte[] key;
    private long userId;

    @BeforeEach
    void key() {
        key = context.getBean(SecretKeySpec.class).getEncoded();
        userId = fixtures.user().id();
    }

    private Map<String, Object> validClaims() {
        var now = clock.instant().getEpochSecond();
        var claims = new LinkedHashMap<String, Object>();
        claims.put("iss", "couponrush");
        claims.put("aud", List.of("couponrush"));
        claims.put("sub", Long.toString(userId));
        claims.put("iat", now);
        claims.put("exp", now + 3600);
        claims.put("roles", List.of("USER"));
        claims.put("token_version", 0);
        return claims;
    }

    private String signed(String alg, Map<String, Object> claims) {
        var header = encode(TestApi.JSON.writeValueAsBytes(Map.of("alg", alg, "typ", "JWT")));
        var payload = encode(TestApi.JSON.writeValueAsBytes(claims));
        var input = header + "." + payload;
        if (alg.equals("none")) {
            return input + ".";
        }
        try {
            var mac = Mac.getInstance("Hmac" + alg.replace("HS", "SHA"));
            mac.init(new SecretKeySpec(key, mac.getAlgorithm()));
            return input + "." + encode(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String hs256(Map<String, Object> claims) {
        return signed("HS256", claims);
    }

    private static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private void assertUnauthorized(TestApi.Response answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(401);
        assertThat(answer.isProblem()).isTrue();
        assertThat(answer.code()).isEqualTo("UNAUTHORIZED");
        assertThat(answer.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    }

    @Test
    void acceptsAWellFormedToken() {
        assertThat(api.get(MINE, hs256(validClaims())).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "HS384", "HS512"})
    void refusesEveryAlgorithmButHs256(String alg) {
        assertUnauthorized(api.get(MINE, signed(alg, validClaims())));
    }

    @Test
    void refusesAnRs256TokenEvenWithValidClaims() throws Exception {
        var rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        var jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), JWTClaimsSet.parse(validClaims()));
        jwt.sign(new RSASSASigner(rsa.generateKeyPair().getPrivate()));

        assertUnauthorized(api.get(MINE, jwt.serialize()));
    }

    @Test
    void refusesATokenWithoutExpiry() {
        var claims = validClaims();
        claims.remove("exp");

        assertUnauthorized(api.get(MINE, hs256(claims)));
    }

    /** 60 s of clock skew either way, measured with the service's clock. */
    @Test
    void allowsSixtySecondsOfSkewOnExpiryAndNotBefore() {
        var claims = validClaims();
        claims.put("iat", clock.instant().getEpochSecond() - 3600);
        claims.put("exp", clock.instant().getEpochSecond());
        var expiring = hs256(claims);
        var notYet = validClaims();
        notYet.put("nbf", clock.instant().getEpochSecond() + 50);
        var later = validClaims();
        later.put("nbf", clock.instant().getEpochSecond() + 120);

        assertThat(api.get(MINE, expiring).status()).isEqualTo(200);
        assertThat(api.get(MINE, hs256(notYet)).status()).isEqualTo(200);
        assertUnauthorized(api.get(MINE, hs256(later)));
        clock.advance(Duration.ofSeconds(45));
        assertThat(api.get(MINE, expiring).status()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(30));
        assertUnauthorized(api.get(MINE, expiring));
    }

    @Test
    void refusesAnotherIssuer() {
        var claims = validClaims();
        claims.put("iss", "someone-else");

        assertUnauthorized(api.get(MINE, hs256(claims)));
    }

    @Test
    void refusesATokenForAnotherAudienceOrNone() {
        var other = validClaims();
        other.put("aud", List.of("another-service"));
        var none = validClaims();
        none.remove("aud");

        assertUnauthorized(api.get(MINE, hs256(other)));
        assertUnauthorized(api.get(MINE, hs256(none)));
    }

    /** Answered 401 by authentication, not 500 by a controller parsing it. */
    @ParameterizedTest
    @ValueSource(strings = {"abc", "-5", "0", "007", "1.5", "99999999999999999999", ""})
    void refusesASubjectThatIsNotAnAccountId(String subject) {
        var claims = validClaims();
        claims.put("sub", subject);

        assertUnauthorized(api.get(MINE, hs256(claims)));
        assertUnauthorized(api.post("/api/v1/coupons/" + fixtures.coupon("atomic", 1, 1) + "/issue", hs256(claims), null));
    }

    @Test
    void refusesATokenWithoutTokenVersion() {
        var claims = validClaims();
        claims.remove("token_version");

        var answer = api.get(MINE, hs256(claims));

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.code()).isEqualTo("TOKEN_REVOKED");
    }

    /**
     * A correctly signed token for an account that does not exist (forged with a leaked key, or of a
     * deleted account) is refused at authentication: it never reaches a batch, whose other members
     * are granted as usual, and nothing is written for it.
     */
    @Test
    void refusesASubjectWithoutAnAccountBeforeItReachesTheBatch() throws Exception {
        long coupon = fixtures.coupon("batched", 20, 1);
        var users = fixtures.users(8);
        var ghost = validClaims();
        ghost.put("sub", "987654321987");
        var ghostToken = hs256(ghost);

        var calls = new ArrayList<Callable<TestApi.Response>>();
        users.forEach(u -> calls.add(() -> api.post("/api/v1/coupons/" + coupon + "/issue", u.token(), null)));
        calls.add(4, () -> api.post("/api/v1/coupons/" + coupon + "/issue", ghostToken, null));
        List<TestApi.Response> answers;
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            answers = pool.invokeAll(calls).stream().map(TokenValidationIntegrationTest::join).toList();
        }

        assertUnauthorized(answers.get(4));
        assertThat(answers.stream().filter(a -> a.status() == 201)).hasSize(users.size());
        assertThat(fixtures.rows(coupon)).isEqualTo(users.size());
        assertThat(fixtures.remaining(coupon)).isEqualTo(20 - users.size());
    }

    /**
     * A token whose subject is newer than every account this instance has heard of (a database restored
     * from an older backup, a key that leaked) is checked by a read, which finds no account.
     */
    @Test
    void refusesTheTokenOfAnAccountNewerThanAnyThereIs() {
        long newest = context.getBean(JdbcTemplate.class).queryForObject("SELECT MAX(id) FROM users", Long.class);
        var claims = validClaims();
        // far past any id the other tests will create: the instance remembers "no account" for this id a while,
        // and a later test's account that got it would be refused (newest + 1,000 was, once 240-person rushes ran)
        claims.put("sub", Long.toString(newest + 1_000_000_000L));

        assertUnauthorized(api.get(MINE, hs256(claims)));
    }

    private static <T> T join(Future<T> future) {
        try {
            return future.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
