package io.couponrush.infra;

import java.nio.file.Path;
import java.util.HashMap;

import org.apache.commons.logging.Log;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * The default run needs only a JDK: when no datasource URL (or no Redis host/URL) is configured,
 * start the embedded servers before the DataSource and the Redis connection factory are bound,
 * and point the configuration at them.
 *
 * <p>Runs after config data is loaded (so application.yml, profiles and environment variables are
 * visible) and before any bean exists.
 */
class EmbeddedServersPostProcessor implements EnvironmentPostProcessor, Ordered {

    static final String ACTIVE = "couponrush.embedded.active";

    // Logging is not set up yet when this runs: the deferred log replays once it is.
    private final Log log;

    EmbeddedServersPostProcessor(DeferredLogFactory logs) {
        this.log = logs.getLog(EmbeddedServersPostProcessor.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        if (!env.getProperty("couponrush.embedded.enabled", Boolean.class, true)) {
            return;
        }
        var directory = Path.of(env.getProperty("couponrush.embedded.directory", "target/embedded"));
        var props = new HashMap<String, Object>();

        if (!databaseConfigured(env)) {
            int port = EmbeddedStack.mariaDb(env.getProperty("couponrush.embedded.mariadb-port", Integer.class, 0), directory, log);
            props.put("spring.datasource.url", "jdbc:mariadb://127.0.0.1:" + port + "/" + EmbeddedStack.DATABASE);
            props.put("spring.datasource.username", "root");
            props.put("spring.datasource.password", "");
            props.put(ACTIVE, true);
            // The embedded run is a development setup (a known JWT key, a development admin): it
            // serves this machine only, unless an address is configured on purpose.
            if (!StringUtils.hasText(env.getProperty("server.address"))) {
                props.put("server.address", "127.0.0.1");
            }
        }
        if (!redisConfigured(env)) {
            int port = EmbeddedStack.redis(env.getProperty("couponrush.embedded.redis-port", Integer.class, 0), directory, log);
            props.put("spring.data.redis.host", "127.0.0.1");
            props.put("spring.data.redis.port", port);
        }
        if (!props.isEmpty()) {
            env.getPropertySources().addFirst(new MapPropertySource("couponrushEmbeddedServers", props));
        }
    }

    /** A real database is configured: by URL (SPRING_DATASOURCE_URL). */
    static boolean databaseConfigured(org.springframework.core.env.PropertyResolver env) {
        return StringUtils.hasText(env.getProperty("spring.datasource.url"));
    }

    /** A real Redis is configured, in any of the ways Spring Data Redis accepts one. */
    static boolean redisConfigured(org.springframework.core.env.PropertyResolver env) {
        return java.util.stream.Stream.of("spring.data.redis.host", "spring.data.redis.url", "spring.data.redis.cluster.nodes",
                "spring.data.redis.sentinel.nodes", "spring.data.redis.sentinel.master").anyMatch(key -> StringUtils.hasText(env.getProperty(key)));
    }

    @Override
    public int getOrder() {
        // after ConfigDataEnvironmentPostProcessor (HIGHEST_PRECEDENCE + 10)
        return Ordered.HIGHEST_PRECEDENCE + 20;
    }
}
