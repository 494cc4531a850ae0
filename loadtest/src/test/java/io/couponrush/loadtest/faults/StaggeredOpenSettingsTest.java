package io.couponrush.loadtest.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class StaggeredOpenSettingsTest {

    static Properties properties(String... pairs) {
        var properties = new Properties();
        properties.setProperty("bench.root", "/repo");
        for (int i = 0; i < pairs.length; i += 2) {
            properties.setProperty(pairs[i], pairs[i + 1]);
        }
        return properties;
    }

    @Test
    void fullSizeMeasuresEveryCorrectStrategyOnOneAndTwoInstances() {
        var settings = StaggeredOpenSettings.from(properties("bench.scenario", "staggered-open"));

        assertThat(settings.strategies()).containsExactly("pessimistic", "optimistic", "redis-lock", "atomic", "batched",
                "redis-gate");
        assertThat(settings.instances()).containsExactly(1, 2);
        assertThat(settings.users()).isEqualTo(300);
        assertThat(settings.stock()).isEqualTo(100);
        assertThat(settings.spacingNanos()).isEqualTo(2_000_000);
        assertThat(settings.opensIn()).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
        assertThat(settings.serviceArgs()).isEmpty();
        assertThat(settings.seenAccounts()).isTrue();
        assertThat(settings.jar()).isEqualTo(Path.of("/repo/service/target/couponrush-service.jar"));
        assertThat(settings.results()).isEqualTo(Path.of("/repo/loadtest/results"));
        assertThat(settings.command()).endsWith("-DskipTests -Dbench.scenario=staggered-open");
    }

    @Test
    void smokeIsTheFirstComeStrategiesAndAtomicAtHalfSize() {
        var settings = StaggeredOpenSettings.from(properties("bench.smoke", "true", "bench.users", "", "bench.stock", " "));

        assertThat(settings.strategies()).containsExactly("batched", "redis-gate", "atomic");
        assertThat(settings.users()).isEqualTo(150);
        assertThat(settings.stock()).isEqualTo(50);
        assertThat(settings.instances()).containsExactly(1, 2);
        assertThat(settings.seenAccounts()).as("the control stays out of CI's smoke").isFalse();
        assertThat(StaggeredOpenSettings.from(properties("bench.smoke", "true", "bench.seenAccounts", "true"))
                .seenAccounts()).isTrue();
    }

    @Test
    void givenPropertiesReplaceTheDefaultsAndTheSpacingMayBeAFraction() {
        var settings = StaggeredOpenSettings.from(properties("bench.strategies", "batched, redis-gate,batched",
                "bench.instances", "2", "bench.users", "280", "bench.stock", "90", "bench.spacingMillis", "0.5",
                "bench.serviceJvmArgs", " -Xmx1g  -XX:+UseZGC ", "bench.startTimeoutSeconds", "60"));

        assertThat(settings.strategies()).containsExactly("batched", "redis-gate");
        assertThat(settings.instances()).containsExactly(2);
        assertThat(settings.users()).isEqualTo(280);
        assertThat(settings.stock()).isEqualTo(90);
        assertThat(settings.spacingNanos()).isEqualTo(500_000);
        assertThat(settings.spacingMillis()).isEqualTo(0.5);
        assertThat(settings.serviceJvmArgs()).containsExactly("-Xmx1g", "-XX:+UseZGC");
        assertThat(settings.startTimeout()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void theUnsafeDemonstrationOnlyWhenListedAndThenTheServiceAllowsIt() {
        var settings = StaggeredOpenSettings.from(properties("bench.strategies", "none,atomic"));

        assertThat(settings.serviceArgs()).containsExactly("--couponrush.issuance.allow-unsafe=true");
    }

    @Test
    void refusesWhatCannotBeMeasured() {
        assertThatThrownBy(() -> StaggeredOpenSettings.from(properties("bench.strategies", "atomc")))
                .hasMessageContaining("atomc");
        assertThatThrownBy(() -> StaggeredOpenSettings.from(properties("bench.instances", "0")))
                .hasMessageContaining("bench.instances");
        assertThatThrownBy(() -> StaggeredOpenSettings.from(properties("bench.users", "100", "bench.stock", "100")))
                .hasMessageContaining("must exceed");
        assertThatThrownBy(() -> StaggeredOpenSettings.from(properties("bench.spacingMillis", "-1")))
                .hasMessageContaining("spacingMillis");
    }
}
