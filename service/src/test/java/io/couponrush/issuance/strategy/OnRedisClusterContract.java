package io.couponrush.issuance.strategy;

import io.couponrush.support.RedisCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The contract, with Redis as a 3-master Redis Cluster (every key of a coupon in one slot, by its hash
 * tag). The strategies' classes extend this one and share one application context.
 */
abstract class OnRedisClusterContract extends IssuerContractIntegrationTest {

    @BeforeAll
    static void needsRedisBinaries() {
        assumeTrue(RedisCluster.available(), "no redis-server/redis-cli on this machine (Debian: redis-server, redis-tools): "
                + "the Redis Cluster contract is skipped");
    }

    @DynamicPropertySource
    static void redisCluster(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.cluster.nodes", () -> RedisCluster.shared().nodes());
    }

    @Test
    void talksToTheThreeMasters() {
        try (var connection = context.getBean(RedisConnectionFactory.class).getClusterConnection()) {
            assertThat(connection.clusterGetNodes()).filteredOn(node -> node.isMaster()).hasSize(3);
        }
    }
}
