package io.couponrush.ops;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.couponrush.IntegrationTest;
import io.couponrush.infra.Dependencies;
import io.couponrush.web.ErrorCode;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard and the alert rules read the service's real output: every metric name in their
 * PromQL is in a scrape of {@code /actuator/prometheus}, every label they match on is one that
 * metric carries, and every outcome code they match is one the service answers. A renamed meter or
 * tag fails here instead of leaving an empty panel or an alert that can never fire.
 */
class OpsKitIntegrationTest extends IntegrationTest {

    @Test
    void everyNameTheOpsKitQueriesIsOneTheServiceExports() throws Exception {
        exerciseEveryMeter();
        var scrape = api.get("/actuator/prometheus", fixtures.admin().token());
        assertThat(scrape.status()).isEqualTo(200);
        var exported = OpsKit.scrapedSeries(scrape.body());

        var dashboard = OpsKit.dashboard();
        var queries = new LinkedHashMap<String, String>();
        OpsKit.panelQueries(dashboard).forEach((where, expr) -> queries.put("panel " + where, expr));
        OpsKit.variableQueries(dashboard).forEach((name, query) ->
                OpsKit.variableSelector(query).ifPresent(selector -> queries.put("variable $" + name, selector)));
        OpsKit.alertExpressions().forEach((alert, expr) -> queries.put("alert " + alert, expr));
        var codes = Stream.concat(Stream.of("ISSUED"), Arrays.stream(ErrorCode.values()).map(ErrorCode::name))
                .collect(Collectors.toSet());

        var wrong = new ArrayList<String>();
        queries.forEach((where, expr) -> {
            var names = OpsKit.metricNames(expr);
            if (names.isEmpty()) {
                wrong.add(where + ": reads no metric");
            }
            for (var name : names) {
                if (!exported.containsKey(name)) {
                    wrong.add(where + ": " + name + " is not exported");
                }
            }
            for (var matcher : OpsKit.matchers(expr)) {
                var labels = exported.getOrDefault(matcher.metric(), Set.of());
                if (!OpsKit.TARGET_LABELS.contains(matcher.label()) && !labels.contains(matcher.label())) {
                    wrong.add(where + ": " + matcher.metric() + " has no label " + matcher.label() + " (it has " + labels + ")");
                }
                if (matcher.label().equals("code") && matcher.op().equals("=") && !codes.contains(matcher.value())) {
                    wrong.add(where + ": no outcome has code " + matcher.value());
                }
            }
        });

        assertThat(queries).hasSizeGreaterThan(20);
        assertThat(wrong).as("names the ops kit reads but the service does not export").isEmpty();
    }

    /**
     * Some meters only exist once their event happened: a retry, a gate bypass. Each is caused
     * here for real, so the scrape holds every series an operator would see in production.
     */
    private void exerciseEveryMeter() throws Exception {
        for (var strategy : new String[] {"batched", "redis-gate", "atomic", "pessimistic", "optimistic"}) {
            long coupon = fixtures.coupon(strategy, 5, 1);
            assertThat(api.post("/api/v1/coupons/" + coupon + "/issue", fixtures.user().token(), null).status()).isEqualTo(201);
        }
        retryOnABusyLock();
        bypassTheGate();
    }

    /** redis-lock finds its coupon's lock taken, retries, and gets it once the other holder lets go. */
    private void retryOnABusyLock() throws Exception {
        long coupon = fixtures.coupon("redis-lock", 5, 1);
        var token = fixtures.user().token();
        var redis = context.getBean(StringRedisTemplate.class);
        var meters = context.getBean(MeterRegistry.class);
        var lock = "lock:coupon:" + coupon; // RedisSpinLockIssuer.lockKey
        redis.opsForValue().set(lock, "another-holder", Duration.ofSeconds(30));
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var answer = threads.submit(() -> api.post("/api/v1/coupons/" + coupon + "/issue", token, null));
            await().atMost(Duration.ofSeconds(4)).until(() ->
                    meters.find("couponrush.issue.retries").tag("strategy", "redis-lock").counter() != null);
            redis.delete(lock);
            assertThat(answer.get(30, TimeUnit.SECONDS).status()).isEqualTo(201);
        } finally {
            redis.delete(lock);
        }
    }

    /** redis-gate with the Redis circuit open settles in the database without the gate. */
    private void bypassTheGate() {
        long coupon = fixtures.coupon("redis-gate", 5, 1);
        var redisCircuit = context.getBean(Dependencies.class).redis();
        redisCircuit.transitionToForcedOpenState();
        try {
            assertThat(api.post("/api/v1/coupons/" + coupon + "/issue", fixtures.user().token(), null).status()).isEqualTo(201);
        } finally {
            redisCircuit.reset();
        }
    }
}
