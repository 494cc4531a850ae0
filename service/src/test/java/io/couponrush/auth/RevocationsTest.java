package io.couponrush.auth;

import java.time.Duration;
import java.util.List;

import io.couponrush.support.MutableClock;
import io.couponrush.user.AccountState;
import io.couponrush.user.Role;
import org.junit.jupiter.api.Test;

import static io.couponrush.auth.Revocations.Verdict.REVOKED;
import static io.couponrush.auth.Revocations.Verdict.TRUSTED;
import static io.couponrush.auth.Revocations.Verdict.UNSURE;
import static org.assertj.core.api.Assertions.assertThat;

/** How a token is judged from the change feed's word alone, and when it is sent to a read instead. */
class RevocationsTest {

    private static final Duration TTL = Duration.ofMinutes(15);

    private final MutableClock clock = new MutableClock();
    private final Revocations revocations = new Revocations(clock, TTL, Duration.ofMinutes(1), 1_000);

    @Test
    void sendsEveryTokenToAReadUntilTheFeedHasBeenRead() {
        assertThat(revocations.judge(1, 0, "USER", TTL)).isEqualTo(UNSURE);
        revocations.looked(List.of(), 100, clock.instant());
        assertThat(revocations.judge(1, 0, "USER", TTL)).isEqualTo(TRUSTED);
    }

    @Test
    void trustsAnUnchangedAccountAndJudgesAChangedOneByItsNewVersionAndRole() {
        revocations.looked(List.of(new AccountState(7, Role.ADMIN, 3)), 100, clock.instant());

        assertThat(revocations.judge(8, 0, "USER", TTL)).isEqualTo(TRUSTED);
        assertThat(revocations.judge(7, 3, "ADMIN", TTL)).isEqualTo(TRUSTED);
        assertThat(revocations.judge(7, 2, "USER", TTL)).as("minted before the change").isEqualTo(REVOKED);
        assertThat(revocations.judge(7, 3, "USER", TTL)).as("a role the account does not have").isEqualTo(REVOKED);
        assertThat(revocations.judge(7, 4, "ADMIN", TTL)).as("a change after the feed's look").isEqualTo(UNSURE);
    }

    @Test
    void readsASubjectNewerThanTheNewestAccountTheFeedSaw() {
        revocations.looked(List.of(), 100, clock.instant());
        assertThat(revocations.judge(100, 0, "USER", TTL)).isEqualTo(TRUSTED);
        assertThat(revocations.judge(101, 0, "USER", TTL)).isEqualTo(UNSURE);
    }

    @Test
    void readsEverythingOnceTheFeedHasBeenSilentForLongerThanItIsTrusted() {
        revocations.looked(List.of(), 100, clock.instant());
        clock.advance(Duration.ofSeconds(61));
        assertThat(revocations.judge(1, 0, "USER", TTL)).isEqualTo(UNSURE);
    }

    @Test
    void readsATokenThatLivesLongerThanThisServiceMintsThem() {
        revocations.looked(List.of(), 100, clock.instant());
        assertThat(revocations.judge(1, 0, "USER", TTL.plusSeconds(1))).isEqualTo(UNSURE);
        assertThat(revocations.judge(1, 0, "USER", null)).isEqualTo(UNSURE);
    }

    @Test
    void anAccountChangedHereIsReadUntilALookThatBeganAfterTheChange() {
        var before = clock.instant();
        revocations.looked(List.of(), 100, before);
        clock.advance(Duration.ofMillis(10));
        revocations.changedHere(7);
        assertThat(revocations.judge(7, 0, "USER", TTL)).isEqualTo(UNSURE);

        // a look that began before the change may have read the old state: it does not count
        revocations.looked(List.of(new AccountState(7, Role.USER, 0)), 100, before);
        assertThat(revocations.judge(7, 0, "USER", TTL)).isEqualTo(UNSURE);

        clock.advance(Duration.ofMillis(10));
        revocations.looked(List.of(new AccountState(7, Role.USER, 1)), 100, clock.instant());
        assertThat(revocations.judge(7, 0, "USER", TTL)).isEqualTo(REVOKED);
        assertThat(revocations.judge(7, 1, "USER", TTL)).isEqualTo(TRUSTED);
    }

    @Test
    void forgetsAChangeOnlyOnceEveryTokenThatPredatesItHasExpired() {
        revocations.looked(List.of(new AccountState(7, Role.USER, 1)), 100, clock.instant());
        clock.advance(TTL.plus(Revocations.SKEW).plus(Revocations.MINT_MARGIN).minusSeconds(1));
        revocations.looked(List.of(), 100, clock.instant());
        assertThat(revocations.judge(7, 0, "USER", TTL)).isEqualTo(REVOKED);

        clock.advance(Duration.ofSeconds(2));
        revocations.looked(List.of(), 100, clock.instant());
        assertThat(revocations.size()).isZero();
    }

    @Test
    void aRoleThisVersionDoesNotKnowSendsTheAccountToAReadAndStopsNothingElse() {
        revocations.looked(List.of(new AccountState(7, null, 2)), 100, clock.instant());
        assertThat(revocations.judge(7, 2, "ADMIN", TTL)).isEqualTo(UNSURE);
        assertThat(revocations.judge(8, 0, "USER", TTL)).isEqualTo(TRUSTED);
    }
}
