package io.couponrush;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class CouponrushApplication {

    public static void main(String[] args) {
        SpringApplication.run(CouponrushApplication.class, args);
    }
}
