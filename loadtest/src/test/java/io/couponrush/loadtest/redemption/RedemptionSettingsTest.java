package io.couponrush.loadtest.redemption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class RedemptionSettingsTest {

    static Properties properties(String... pairs) {
        var properties = new Properties();
        properties.setProperty("bench.root", "/repo");
        for (int i = 0; i < pairs.length; i += 2) {
            properties.setProperty(pairs[i], pairs[i + 1]);
        }
        return properties;
    }

    @Test
    void fullSizeIsTwoThousandCopiesPerStrategyAndAKillCaseOnTwoInstances() {
        var settings = RedemptionSettings.from(properties("bench.scenario", "redemption"));

        assertThat(settings.storm()).isTrue();
        assertThat(settings.kill()).isTrue();
        assertThat(settings.strategies()).containsExactly("naive", "conditional");
        assertThat(settings.copies()).isEqualTo(2_000);
        assertThat(settings.faultCopies()).isEqualTo(300);
        assertThat(settings.instances()).isEqualTo(2);
        assertThat(settings.hold()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void smokeIsATenth() {
        var settings = RedemptionSettings.from(properties("bench.smoke", "true"));

        assertThat(settings.copies()).isEqualTo(200);
        assertThat(settings.faultCopies()).isEqualTo(60);
    }

    @Test
    void theServiceKnowsTheOrderSystemByItsSecretsHashAndAllowsNaiveOnlyWhenMeasured() {
        var both = RedemptionSettings.from(properties());
        assertThat(both.serviceArgs("ab".repeat(32))).containsExactly("--couponrush.redemption.clients[0].id=bench-orders",
                "--couponrush.redemption.clients[0].secret-sha256=" + "ab".repeat(32), "--couponrush.redemption.hold=5000ms",
                "--couponrush.issuance.allow-unsafe=true");
        var conditional = RedemptionSettings.from(properties("bench.strategies", "conditional", "bench.redemptionHoldSeconds", "2.5"));
        assertThat(conditional.serviceArgs("ab".repeat(32))).doesNotContain("--couponrush.issuance.allow-unsafe=true")
                .contains("--couponrush.redemption.hold=2500ms");
        assertThat(RedemptionRunner.sha256("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void casesAndStrategiesCanBeChosen() {
        var killOnly = RedemptionSettings.from(properties("bench.cases", "kill"));
        assertThat(killOnly.storm()).isFalse();
        assertThat(killOnly.kill()).isTrue();
        assertThatThrownBy(() -> RedemptionSettings.from(properties("bench.cases", "crash"))).hasMessageContaining("storm, kill");
        assertThatThrownBy(() -> RedemptionSettings.from(properties("bench.strategies", "pessimistic"))).hasMessageContaining("naive");
        assertThatThrownBy(() -> RedemptionSettings.from(properties("bench.instances", "1"))).hasMessageContaining("at least 2");
    }
}
