package io.couponrush.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
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
    void refusesADatabaseFromTheEnvironmentWithoutARedisOrTheOtherWayRound() {
        assertThatIllegalArgumentException().isThrownBy(() -> BenchSettings.from(new Properties(),
                Map.of("SPRING_DATASOURCE_URL", "jdbc:mysql://127.0.0.1:3306/test"))).withMessageContaining("both");
        assertThatIllegalArgumentException().isThrownBy(() -> BenchSettings.from(new Properties(),
                Map.of("SPRING_DATA_REDIS_HOST", "127.0.0.1"))).withMessageContaining("both");
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

    @Test
    void oneInstanceWithoutALoadBalancerUnlessAskedFor() {
        var settings = BenchSettings.from(properties("bench.instances", ""), Map.of());

        assertThat(settings.instances()).isEqualTo(1);
        assertThat(settings.haproxy()).isEqualTo(Path.of("/usr/sbin/haproxy"));
    }

    @Test
    void severalInstancesRunOnTheMachinesBinariesBehindHaproxy() {
        var settings = BenchSettings.from(properties("bench.instances", " 3 ", "bench.haproxy", "/opt/haproxy",
                "bench.redisServer", "/opt/redis-server", "bench.stock", "50_000", "bench.users", "60000"), Map.of());

        assertThat(settings.instances()).isEqualTo(3);
        assertThat(settings.haproxy()).isEqualTo(Path.of("/opt/haproxy"));
        assertThat(settings.localServers().redisServer()).isEqualTo(Path.of("/opt/redis-server"));
        assertThat(settings.localServers().mariadbd()).isEqualTo(Path.of("/usr/sbin/mariadbd"));
        // this scenario's sizes are not the fault harness's
        assertThat(settings.plans().getFirst().stock()).isEqualTo(50_000);
    }

    @Test
    void refusesAnInstanceCountThatIsNotOnePositiveNumber() {
        assertThatThrownBy(() -> BenchSettings.from(properties("bench.instances", "0"), Map.of()))
                .hasMessageContaining("bench.instances must be at least 1");
        assertThatThrownBy(() -> BenchSettings.from(properties("bench.instances", "1,3"), Map.of()))
                .hasMessageContaining("one number of service instances").hasMessageContaining("'1,3'");
    }

    @Test
    void severalInstancesRefuseServersFromTheEnvironmentRatherThanIgnoreThem() {
        assertThatThrownBy(() -> BenchSettings.from(properties("bench.instances", "3"),
                Map.of("SPRING_DATA_REDIS_HOST", "127.0.0.1")))
                .hasMessageContaining("unset SPRING_DATASOURCE_URL and SPRING_DATA_REDIS_HOST");
        // one instance may use servers of the environment (both: the jar has none of its own)
        assertThat(BenchSettings.from(properties("bench.instances", "1"), Map.of("SPRING_DATA_REDIS_HOST", "127.0.0.1",
                "SPRING_DATASOURCE_URL", "jdbc:mariadb://127.0.0.1:3306/test")).instances()).isEqualTo(1);
    }

    @Test
    void theFaultScenarioKeepsItsOwnInstanceCount() {
        assertThat(BenchSettings.from(properties("bench.scenario", "faults"), Map.of()).instances()).isEqualTo(2);
        assertThat(BenchSettings.from(properties("bench.scenario", "faults", "bench.instances", "3"), Map.of())
                .instances()).isEqualTo(3);
    }

    private static Properties properties(String... pairs) {
        var properties = new Properties();
        for (int i = 0; i < pairs.length; i += 2) {
            properties.setProperty(pairs[i], pairs[i + 1]);
        }
        return properties;
    }
}
