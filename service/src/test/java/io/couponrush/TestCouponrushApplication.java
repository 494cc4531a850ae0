package io.couponrush;

import org.springframework.boot.SpringApplication;

/**
 * The development run: the service on the test classpath, where the embedded MariaDB and Redis live
 * (io.couponrush.infra.EmbeddedServersPostProcessor starts them when no real servers are configured).
 * {@code ./mvnw -pl service spring-boot:test-run}. The production jar has neither.
 */
public class TestCouponrushApplication {

    public static void main(String[] args) {
        SpringApplication.from(CouponrushApplication::main).run(args);
    }
}
