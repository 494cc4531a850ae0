package io.couponrush.loadtest.faults;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Hand-made answers and rows for the verdict tests: user ids 1..n, row id = 1000 + user id. */
final class Runs {

    private Runs() {
    }

    static Attempt granted(long userId) {
        return Attempt.answered(0, 10, 20, 201, "201", rowOf(userId), 0);
    }

    static Attempt answer(int status, String code) {
        return Attempt.answered(0, 10, 20, status, code, Attempt.NONE, status == 503 ? 1 : 0);
    }

    static Attempt soldOut() {
        return answer(409, Attempt.SOLD_OUT);
    }

    static Attempt alreadyIssued() {
        return answer(409, Attempt.ALREADY_ISSUED);
    }

    static Attempt timeout(int instance) {
        return Attempt.failed(instance, 10, 5010, Attempt.Kind.TIMEOUT);
    }

    static Attempt refused(int instance) {
        return Attempt.failed(instance, 10, 11, Attempt.Kind.CONNECTION_ERROR);
    }

    static long rowOf(long userId) {
        return 1000 + userId;
    }

    static UserRun run(long userId, Attempt... attempts) {
        return new UserRun(userId, List.of(attempts));
    }

    /** Users 1..winners got a 201 and hold their row; users winners+1..users were told sold out. */
    static List<UserRun> cleanSellOut(int winners, int users) {
        var runs = new ArrayList<UserRun>();
        for (long user = 1; user <= users; user++) {
            runs.add(user <= winners ? run(user, granted(user)) : run(user, soldOut()));
        }
        return runs;
    }

    /** Rows for the given users, one each. */
    static Map<Long, Long> rowsFor(long... users) {
        var rows = new HashMap<Long, Long>();
        for (long user : users) {
            rows.put(rowOf(user), user);
        }
        return rows;
    }

    static Map<Long, Long> rowsForFirst(int winners) {
        var rows = new HashMap<Long, Long>();
        for (long user = 1; user <= winners; user++) {
            rows.put(rowOf(user), user);
        }
        return rows;
    }
}
