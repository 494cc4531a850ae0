package io.couponrush;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class CouponrushApplication {

    public static void main(String[] args) {
        try {
            SpringApplication.run(CouponrushApplication.class, args);
        } catch (RuntimeException failedStart) {
            // Spring has logged why. Exit explicitly: the embedded MariaDB's watchdog thread is not a
            // daemon and would keep a failed JVM alive forever.
            System.exit(1);
        }
    }
}
