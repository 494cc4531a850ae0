package io.couponrush.loadtest;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;

class LoadTestSettingsTest {

    @Test
    void refusesToRunAgainstRealServersWithoutASecret() {
        assertThatIllegalStateException().isThrownBy(() -> new LoadTestSettings(null).requireUsable(false))
                .withMessageContaining("couponrush.loadtest.secret");
        assertThatIllegalStateException().isThrownBy(() -> new LoadTestSettings(" ").requireUsable(false));
    }

    @Test
    void theEmbeddedRunNeedsNoSecret() {
        assertThatNoException().isThrownBy(() -> new LoadTestSettings(null).requireUsable(true));
        assertThat(new LoadTestSettings(null).admits(null)).isTrue();
    }

    @Test
    void refusesAShortSecret() {
        assertThatIllegalStateException().isThrownBy(() -> new LoadTestSettings("short").requireUsable(true));
    }

    @Test
    void admitsOnlyTheExactSecret() {
        var settings = new LoadTestSettings("a-secret-of-the-harness");

        assertThat(settings.admits("a-secret-of-the-harness")).isTrue();
        assertThat(settings.admits(null)).isFalse();
        assertThat(settings.admits("")).isFalse();
        assertThat(settings.admits("a-secret-of-the-harness ")).isFalse();
        assertThat(settings.admits("a-secret-of-the-harnesS")).isFalse();
    }
}
