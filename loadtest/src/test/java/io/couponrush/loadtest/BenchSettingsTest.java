package io.couponrush.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.couponrush.loadtest.faults.Fault;
import io.couponrush.loadtest.simulation.Scenario;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class BenchSettingsTest {

    @Test
    void defaultsToSeedRushOnEveryStrategyWithEmbeddedServers() {
        var settings = BenchSettings.from(properties("bench.root", "/work/x", "bench.scenario", ""), Map.of());

        assertThat(settings.plans()).extracting(Plan::scenario).containsExactly(Scenario.SEED_RUSH);
        assertThat(settings.strategies()).containsExactlyElementsOf(BenchSettings.ALL_STRATEGIES);
        assertThat(settings.serviceJar()).isEqualTo(Path.of("/work/x/service/target/couponrush-service.jar"));
        assertThat(settings.resultsRoot()).isEqualTo(Path.of("/work/x/loadtest/results"));
        assertThat(settings.database().embedded()).isTrue();
        assertThat(settings.embeddedRedis()).isTrue();
    }

    @Test
    void smokeRunsShortScenariosByDefault() {
        var settings = BenchSettings.from(properties("bench.smoke", "true", "bench.strategies", "atomic, pessimistic"),
                Map.of());

        assertThat(settings.plans()).extracting(Plan::scenario)
                .containsExactly(Scenario.FLASH_BURST, Scenario.SEED_RUSH);
        assertThat(settings.plans()).allMatch(Plan::smoke);
        assertThat(settings.strategies()).containsExactly("atomic", "pessimistic");
    }

    @Test
    void realServersComeFromTheEnvironment() {
        var settings = BenchSettings.from(new Properties(), Map.of(
                "SPRING_DATASOURCE_URL", "jdbc:mysql://127.0.0.1:3306/test",
                "SPRING_DATASOURCE_USERNAME", "root",
                "SPRING_DATA_REDIS_HOST", "127.0.0.1"));

        assertThat(settings.database().embedded()).isFalse();
        assertThat(settings.database().url()).isEqualTo("jdbc:mysql://127.0.0.1:3306/test");
        assertThat(settings.database().password()).isEmpty();
        assertThat(settings.embeddedRedis()).isFalse();
    }

    @Test
    void theRecordedCommandRepeatsEveryGivenBenchProperty() {
        var command = BenchSettings.command(properties(
                "bench.root", "/work/x", "bench.scenario", "seed-rush", "bench.strategies", "none,atomic",
                "bench.vus", "", "bench.serviceJvmArgs", "-Xmx2g -XX:+UseZGC"));

        assertThat(command).isEqualTo("./mvnw -B -pl loadtest -am verify -Pbench -DskipTests"
                + " -Dbench.scenario=seed-rush -Dbench.serviceJvmArgs='-Xmx2g -XX:+UseZGC'"
                + " -Dbench.strategies=none,atomic");
    }

    @Test
    void unknownScenariosAreRefusedWithTheKnownOnes() {
        assertThatThrownBy(() -> BenchSettings.from(properties("bench.scenario", "seed-rush,nope"), Map.of()))
                .hasMessageContaining("unknown scenario 'nope'")
                .hasMessageContaining("flash-burst")
                .hasMessageContaining("faults");
    }

    @Test
    void theFaultScenarioRunsTheCorrectFastStrategiesAndNoGatlingPlan() {
        var settings = BenchSettings.from(properties("bench.scenario", "faults", "bench.smoke", "true",
                "bench.faults", "kill"), Map.of());

        assertThat(settings.plans()).isEmpty();
        assertThat(settings.faults()).hasValueSatisfying(faults -> {
            assertThat(faults.faults()).containsExactly(Fault.KILL);
            assertThat(faults.users()).isEqualTo(300);
        });
        assertThat(settings.strategies()).containsExactly("batched", "redis-gate", "atomic");
    }

    @Test
    void otherScenariosHaveNoFaultsAndTheFaultScenarioRunsAlone() {
        assertThat(BenchSettings.from(properties("bench.scenario", "seed-rush"), Map.of()).faults()).isEmpty();
        assertThatThrownBy(() -> BenchSettings.from(properties("bench.scenario", "faults,seed-rush"), Map.of()))
                .hasMessageContaining("run it alone");
    }

    private static Properties properties(String... pairs) {
        var properties = new Properties();
        for (int i = 0; i < pairs.length; i += 2) {
            properties.setProperty(pairs[i], pairs[i + 1]);
        }
        return properties;
    }
}
