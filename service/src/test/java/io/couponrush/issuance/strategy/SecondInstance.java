package io.couponrush.issuance.strategy;

import io.couponrush.CouponrushApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/** A second service instance in this JVM, on its own port, sharing the same MariaDB and Redis. */
final class SecondInstance implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    SecondInstance() {
        this.context = new SpringApplicationBuilder(CouponrushApplication.class)
                .properties("server.port=0", "couponrush.node-id=2",
                        "logging.level.io.couponrush.issuance.IssuanceService=error")
                // a run argument, not a builder property: those are defaults application.yml overrides;
                // every request of these tests comes from 127.0.0.1, and the limits are tested elsewhere
                .run("--couponrush.rate-limits.enabled=false");
    }

    int port() {
        return context.getBean(Environment.class).getRequiredProperty("local.server.port", Integer.class);
    }

    @Override
    public void close() {
        context.close();
    }
}
