package io.couponrush.ops;

import io.couponrush.IntegrationTest;
import io.couponrush.support.TestApi;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.Environment;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The production way to scrape: management (health, Prometheus) on a port of its own that only the
 * operator's network reaches, with the application port still refusing the metrics to anyone but ADMIN.
 */
@TestPropertySource(properties = "management.server.port=0")
class ManagementPortIntegrationTest extends IntegrationTest {

    @Test
    void theManagementPortServesMetricsAndTheApplicationPortDoesNot() {
        int managementPort = context.getBean(Environment.class).getRequiredProperty("local.management.port", Integer.class);
        var management = new TestApi(managementPort);

        var scrape = management.get("/actuator/prometheus", null);
        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.body()).contains("couponrush_");
        assertThat(management.get("/actuator/health", null).status()).isEqualTo(200);
        assertThat(api.get("/actuator/prometheus", null).status()).isIn(401, 404);
    }
}
