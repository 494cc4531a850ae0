package io.couponrush.infra;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/** No embedded server is started when a real one is configured, however it is configured. */
class EmbeddedServersDecisionTest {

    @ParameterizedTest
    @ValueSource(strings = {"spring.data.redis.host", "spring.data.redis.url", "spring.data.redis.cluster.nodes",
            "spring.data.redis.sentinel.nodes", "spring.data.redis.sentinel.master"})
    void anyRedisSettingMeansARealRedis(String key) {
        assertThat(EmbeddedServersPostProcessor.redisConfigured(new MockEnvironment().withProperty(key, "127.0.0.1:7000"))).isTrue();
    }

    @Test
    void aDatasourceUrlMeansARealDatabase() {
        assertThat(EmbeddedServersPostProcessor.databaseConfigured(
                new MockEnvironment().withProperty("spring.datasource.url", "jdbc:mariadb://db:3306/couponrush"))).isTrue();
    }

    @Test
    void nothingConfiguredMeansTheEmbeddedStack() {
        var nothing = new MockEnvironment().withProperty("spring.data.redis.port", "6380").withProperty("spring.data.redis.host", " ");
        assertThat(EmbeddedServersPostProcessor.redisConfigured(nothing)).isFalse();
        assertThat(EmbeddedServersPostProcessor.databaseConfigured(nothing)).isFalse();
    }
}
