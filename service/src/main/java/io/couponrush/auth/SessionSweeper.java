package io.couponrush.auth;

import io.couponrush.infra.Periodic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Deletes sessions past their cap, a thousand rows per statement, so no pass holds many row locks or
 * a long transaction (an ended or idle session is refused by the refresh itself; this only keeps the
 * table the size of the live sessions).
 */
@Component
class SessionSweeper extends Periodic {

    private static final Logger log = LoggerFactory.getLogger(SessionSweeper.class);
    private static final int BATCH = 1_000;
    private static final int MAX_BATCHES_PER_PASS = 100;

    private final RefreshTokens sessions;

    SessionSweeper(RefreshTokens sessions, SessionSettings settings) {
        super("session-sweeper", settings.sweepEvery(), settings.sweepEvery(), log);
        this.sessions = sessions;
    }

    @Override
    protected void runOnce() {
        int batches = 0;
        // a full batch means more may be left; a pass stops after MAX_BATCHES_PER_PASS, the next goes on
        while (batches++ < MAX_BATCHES_PER_PASS && sessions.sweep(BATCH) == BATCH) {
            log.debug("Deleted {} expired sessions, looking for more", BATCH);
        }
    }
}
