package io.couponrush.loadtest.door;

import static io.couponrush.loadtest.door.Steps.busy;
import static io.couponrush.loadtest.door.Steps.login;
import static io.couponrush.loadtest.door.Steps.press;
import static io.couponrush.loadtest.door.Steps.refresh;
import static org.assertj.core.api.Assertions.assertThat;

import io.couponrush.loadtest.door.DoorPolicy.Action;
import io.couponrush.loadtest.door.DoorPolicy.Next;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DoorPolicyTest {

    private static final long FAR = 1_000_000;

    @Test
    void anExpiredTokenIsRenewedTheCasesWayThenThePressIsRepeated() {
        var expired = List.of(press(0, 3, 401, "UNAUTHORIZED"));

        assertThat(DoorPolicy.next(DoorCase.REFRESH, expired, 3, FAR)).isEqualTo(Next.now(Action.REFRESH));
        assertThat(DoorPolicy.next(DoorCase.LOGIN, expired, 3, FAR)).isEqualTo(Next.now(Action.LOGIN));
        assertThat(DoorPolicy.next(DoorCase.REFRESH, List.of(expired.getFirst(), refresh(3, 9, 200, "200")), 9, FAR))
                .isEqualTo(Next.now(Action.PRESS));
        assertThat(DoorPolicy.next(DoorCase.LOGIN, List.of(expired.getFirst(), login(3, 90, 200, "200")), 90, FAR))
                .isEqualTo(Next.now(Action.PRESS));
    }

    @Test
    void aDecidedPressIsFinal() {
        for (var answer : List.of(press(0, 1, 201, "201"), press(0, 1, 409, "COUPON_SOLD_OUT"),
                press(0, 1, 409, "ALREADY_ISSUED"), press(0, 1, 0, Step.NO_ANSWER), press(0, 1, 500, "INTERNAL_ERROR"))) {
            assertThat(DoorPolicy.next(DoorCase.REFRESH, List.of(answer), 1, FAR)).as(answer.label()).isEqualTo(Next.DONE);
        }
    }

    @Test
    void aRenewedTokenRefusedIsNotRenewedAgain() {
        var steps = List.of(press(0, 1, 401, "UNAUTHORIZED"), refresh(1, 2, 200, "200"), press(2, 3, 401, "TOKEN_REVOKED"));

        assertThat(DoorPolicy.renewed(steps)).isTrue();
        assertThat(DoorPolicy.next(DoorCase.REFRESH, steps, 3, FAR)).isEqualTo(Next.DONE);
    }

    @Test
    void aRefusedRefreshSendsTheMemberToLogInAndALoginRefusedEndsIt() {
        var reused = List.of(press(0, 1, 401, "UNAUTHORIZED"), refresh(1, 2, 401, "REFRESH_TOKEN_REUSED"));
        assertThat(DoorPolicy.next(DoorCase.REFRESH, reused, 2, FAR)).isEqualTo(Next.now(Action.LOGIN));

        var relogged = new ArrayList<>(reused);
        relogged.add(login(2, 3, 401, "BAD_CREDENTIALS"));
        assertThat(DoorPolicy.next(DoorCase.REFRESH, relogged, 3, FAR)).isEqualTo(Next.DONE);

        // an unanswered refresh is final: showing the same refresh token again might be reuse, which ends the session
        var lost = List.of(press(0, 1, 401, "UNAUTHORIZED"), refresh(1, 2, 0, Step.NO_ANSWER));
        assertThat(DoorPolicy.next(DoorCase.REFRESH, lost, 2, FAR)).isEqualTo(Next.DONE);
    }

    @Test
    void comeBackLaterIsFollowedWhenRetryAfterSaysOneSecondWithoutIt() {
        var line = List.of(press(0, 1, 401, "UNAUTHORIZED"), busy(Step.Kind.LOGIN, 1, 5, 7));
        assertThat(DoorPolicy.next(DoorCase.LOGIN, line, 5, FAR)).isEqualTo(new Next(Action.LOGIN, 7_000));

        var rateLimited = List.of(Step.answered(Step.Kind.PRESS, 0, 1, 429, "RATE_LIMITED", 0, Step.NONE));
        assertThat(DoorPolicy.next(DoorCase.LOGIN, rateLimited, 1, FAR)).isEqualTo(new Next(Action.PRESS, 1_000));

        var refreshBusy = List.of(press(0, 1, 401, "UNAUTHORIZED"), busy(Step.Kind.REFRESH, 1, 2, 2));
        assertThat(DoorPolicy.next(DoorCase.REFRESH, refreshBusy, 2, FAR)).isEqualTo(new Next(Action.REFRESH, 2_000));
    }

    @Test
    void patienceAndAttemptsBoundTheWaiting() {
        var line = List.of(press(0, 1, 401, "UNAUTHORIZED"), busy(Step.Kind.LOGIN, 1, 5, 7));
        assertThat(DoorPolicy.next(DoorCase.LOGIN, line, 5, 7_005)).isEqualTo(new Next(Action.LOGIN, 7_000));
        assertThat(DoorPolicy.next(DoorCase.LOGIN, line, 5, 7_004)).isEqualTo(Next.DONE);

        var endless = new ArrayList<Step>(List.of(press(0, 1, 401, "UNAUTHORIZED")));
        for (int i = 0; i < DoorPolicy.MAX_ATTEMPTS; i++) {
            endless.add(busy(Step.Kind.LOGIN, i, i, 1));
        }
        assertThat(DoorPolicy.next(DoorCase.LOGIN, endless, 5, FAR)).isEqualTo(Next.DONE);
    }
}
