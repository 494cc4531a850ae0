package io.couponrush.loadtest.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokensTest {

    private final Tokens tokens = Tokens.of(List.of("a", "b", "c"));

    @Test
    void seedModeSendsEveryRequestAsTheSameAccount() {
        assertThat(take(tokens, TokenMode.SEED, 5)).containsOnly("Bearer a");
    }

    @Test
    void distinctModeTakesAccountsInTurnAndWraps() {
        assertThat(take(tokens, TokenMode.DISTINCT, 5))
                .containsExactly("Bearer a", "Bearer b", "Bearer c", "Bearer a", "Bearer b");
    }

    @Test
    void randomModeStaysInsideThePool() {
        var seen = new HashSet<>(take(tokens, TokenMode.RANDOM, 300));
        assertThat(seen).isSubsetOf("Bearer a", "Bearer b", "Bearer c").hasSizeGreaterThan(1);
    }

    @Test
    void loadsOnlyTheFirstCountTokensAndRefusesAShortFile(@TempDir Path directory) throws IOException {
        var file = Files.write(directory.resolve("tokens.txt"), List.of("t1", "", "t2", "t3"));
        assertThat(take(Tokens.load(file, 2), TokenMode.DISTINCT, 3))
                .containsExactly("Bearer t1", "Bearer t2", "Bearer t1");
        assertThatThrownBy(() -> Tokens.load(file, 4)).hasMessageContaining("has 3 tokens, 4 wanted");
    }

    private static List<String> take(Tokens tokens, TokenMode mode, int count) {
        var feeder = tokens.feeder(mode);
        var taken = new ArrayList<String>();
        for (int i = 0; i < count; i++) {
            taken.add((String) feeder.next().get(Tokens.AUTHORIZATION));
        }
        return taken;
    }
}
