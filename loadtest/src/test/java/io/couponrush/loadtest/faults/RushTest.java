package io.couponrush.loadtest.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RushTest {

    @Test
    void aRetryGoesToTheNextInstanceInTurn() {
        assertThat(Rush.next(0, Set.of(), 3)).isEqualTo(1);
        assertThat(Rush.next(2, Set.of(), 3)).isEqualTo(0);
    }

    @Test
    void aRetrySkipsInstancesThatLeftThisClientUnanswered() {
        assertThat(Rush.next(0, Set.of(1), 3)).isEqualTo(2);
    }

    @Test
    void withEveryOtherInstanceSilentTheOneThatAnsweredIsAskedAgain() {
        // two instances, the other one dead: a 503 from this one beats certain silence
        assertThat(Rush.next(0, Set.of(1), 2)).isZero();
    }

    @Test
    void withEveryInstanceSilentTheRetryMovesOn() {
        assertThat(Rush.next(0, Set.of(0, 1), 2)).isEqualTo(1);
    }

    @Test
    void retryAfterIsReadAsSecondsAndAnythingElseAsOne() {
        assertThat(Rush.seconds(" 3 ")).isEqualTo(3);
        assertThat(Rush.seconds("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(1);
    }

    @Test
    void theRushIsBoundedByEveryRequestAndWaitOfOneUser() {
        var shape = new Rush.Shape(Duration.ofSeconds(2), Duration.ofSeconds(5), 3, Duration.ofSeconds(2));

        // 2 s launch + 4 × (5 s timeout + 2 s Retry-After) + 15 s margin
        assertThat(shape.bound()).isEqualTo(Duration.ofSeconds(45));
    }
}
