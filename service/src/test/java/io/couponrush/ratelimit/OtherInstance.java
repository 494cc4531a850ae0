package io.couponrush.ratelimit;

import java.util.ArrayList;
import java.util.List;

import io.couponrush.CouponrushApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * Another service instance in this JVM on its own port, sharing MariaDB and Redis (as the issuance
 * tests' {@code SecondInstance}, which is package-private there), started with given properties.
 */
final class OtherInstance implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    OtherInstance(List<String> properties) {
        var all = new ArrayList<>(List.of("server.port=0", "couponrush.node-id=4",
                "logging.level.io.couponrush.issuance.IssuanceService=error"));
        all.addAll(properties);
        // as command-line arguments: builder properties are defaults, which application.yml overrides
        this.context = new SpringApplicationBuilder(CouponrushApplication.class)
                .run(all.stream().map(p -> "--" + p).toArray(String[]::new));
    }

    int port() {
        return context.getBean(Environment.class).getRequiredProperty("local.server.port", Integer.class);
    }

    @Override
    public void close() {
        context.close();
    }
}
