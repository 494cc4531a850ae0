package io.couponrush.infra;

import io.lettuce.core.ClientOptions;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class RedisClientConfig {

    /**
     * Lettuce queues commands while it reconnects, so by default a request waits out the whole
     * command timeout for a Redis that is gone. Rejecting them at once lets the gate fall back to the
     * database within milliseconds (I8); Lettuce still reconnects in the background.
     */
    @Bean
    LettuceClientOptionsBuilderCustomizer failFastWhileDisconnected() {
        return options -> options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
    }
}
