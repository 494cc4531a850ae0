package io.couponrush.loadtest.faults;

import java.util.List;

/**
 * How soon the service served again once a dependency was back (Redis or MariaDB restarted and accepting
 * connections, the end of the fault's window): the first grant answered after that moment, and the clients
 * who still heard {@code 503} more than {@link #LATE_MILLIS} after it. Clients that retry as told should all
 * have their answer by then; a strategy whose circuit or gate lingers shows here.
 *
 * @param firstGrantMillis from the return to the first {@code 201} answered after it; -1 when none came (the
 *                         rush may have ended, or nothing was left to grant)
 * @param grantsAfter      {@code 201}s answered after the return
 * @param late503Users     clients answered {@code 503} later than {@link #LATE_MILLIS} after the return
 * @param users            clients in the run
 */
public record Recovery(long firstGrantMillis, long grantsAfter, long late503Users, long users) {

    public static final long LATE_MILLIS = 8_000;

    public static Recovery of(List<UserRun> runs, FaultWindow window) {
        long back = window.endMillis();
        var grants = runs.stream().flatMap(run -> run.attempts().stream())
                .filter(attempt -> attempt.granted() && attempt.answeredMillis() >= back).toList();
        long late = runs.stream().filter(run -> run.attempts().stream()
                .anyMatch(attempt -> attempt.status() == 503 && attempt.answeredMillis() > back + LATE_MILLIS)).count();
        return new Recovery(grants.stream().mapToLong(attempt -> attempt.answeredMillis() - back).min().orElse(-1),
                grants.size(), late, runs.size());
    }

    public String label() {
        return "first grant %s; %,d late 503 (%.1f %%)".formatted(
                firstGrantMillis < 0 ? "none after" : "+%,d ms".formatted(firstGrantMillis), late503Users,
                users == 0 ? 0.0 : 100.0 * late503Users / users);
    }
}
