package io.couponrush.infra;

import java.time.Clock;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

@Configuration(proxyBeanMethods = false)
class NodeIdConfig {

    @Bean
    NodeIds nodeIds(JdbcClient jdbc, NodeLeaseSettings settings, @Value("${couponrush.node-id:-1}") int configured) {
        return new NodeIds(jdbc, settings, configured, System::nanoTime);
    }

    @Bean
    IdGenerator idGenerator(Clock clock, NodeIds nodeIds) {
        return new IdGenerator(clock, nodeIds);
    }
}
