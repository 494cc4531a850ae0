package io.couponrush.loadtest.door;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The Markdown report of an opening-door run: printed, and written to {@code opening-door.md}. */
final class OpeningDoorReport {

    private OpeningDoorReport() {
    }

    /**
     * @param setup   the servers and instances, one line
     * @param expired how long before the first opening the crowds' tokens were refused, as measured
     * @param notes   what the numbers should be read with (e.g. late connections); no failure
     */
    static String render(OpeningDoorSettings settings, String machine, String setup, String expired,
            List<CaseResult> cases, List<String> notes, List<String> problems) {
        var out = new StringBuilder("# opening-door: a crowd whose tokens ran out, at the opening\n\n");
        out.append("Machine: ").append(machine).append("  \n");
        out.append("Command: `").append(settings.command()).append("`  \n");
        out.append("Setup: ").append(setup).append("\n\n");
        out.append(("Each case: a coupon of %,d copies (limit 1, strategy `%s`) opening at a known instant, and a crowd of "
                + "%,d accounts whose access tokens were minted to live %d s, so the service refuses them (after its %d s "
                + "of clock skew on `exp`) from %s. Every member presses once: first presses spread evenly over %s s from "
                + "the opening, %s. The press answers 401; the member renews its token and presses again (reactive: the "
                + "app learns of the expiry from the 401, one extra round trip each). A 503 or 429 is retried when its "
                + "`Retry-After` says, for up to %d s after the member's first press.\n\n").formatted(settings.stock(),
                settings.strategy(), settings.users(), OpeningDoorSettings.TOKEN_LIFETIME.toSeconds(),
                OpeningDoorSettings.EXP_SKEW.toSeconds(), expired, decimal(settings.launchWindow().toMillis() / 1000.0),
                settings.instances() == 1 ? "all to the one instance"
                        : "member *i* to instance *i* mod " + settings.instances(), settings.patience().toSeconds()));
        out.append("- **refresh**: each account has a session (as a login starts one); the member renews with "
                + "`POST /api/v1/auth/refresh` (rotated: the answer's refresh token replaces it). A refused refresh "
                + "would send it to log in.\n");
        out.append("- **log in again**: no session; the member renews with `POST /api/v1/auth/login` (one BCrypt check, "
                + "through the service's password line: a bounded wait, else `503 OVERLOADED` with its turn in "
                + "`Retry-After`).\n\n");

        out.append("| case | people | time to all in | per person p50 / p99 | press p50 / p99 | renewal p50 / p99 "
                + "| requests | BCrypt hashes | turned away by the line | final answers | integrity |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
        for (var c : cases) {
            var waited = c.waited();
            var press = c.pressLatency();
            var renewal = c.renewalLatency();
            out.append("| %s | %,d | %s | %,d / %,d ms | %,d / %,d ms | %s | %,d | %s | %s | %s | %s |\n".formatted(
                    c.door().title(), c.people(), allIn(c), waited.p50(), waited.p99(), press.p50(), press.p99(),
                    renewal.count() == 0 ? "–" : "%,d / %,d ms".formatted(renewal.p50(), renewal.p99()),
                    c.requests(), count(c.hashes()), count(c.shed()), counts(c.outcomes()),
                    c.exact() ? "exact" : String.join("; ", c.violations())));
        }

        out.append("\nAnswers by request (`status code` × count):\n\n| case | press (issue) | refresh | login |\n|---|---|---|---|\n");
        for (var c : cases) {
            out.append("| ").append(c.door().title());
            for (var kind : Step.Kind.values()) {
                out.append(" | ").append(c.requests(kind) == 0 ? "–"
                        : "%,d: %s".formatted(c.requests(kind), counts(c.answers(kind))));
            }
            out.append(" |\n");
        }

        var refresh = find(cases, DoorCase.REFRESH);
        var login = find(cases, DoorCase.LOGIN);
        refresh.ifPresent(r -> out.append("\nGoal (issue 20): with refresh the opening costs 0 BCrypt hashes: **")
                .append(r.hashes() == 0 ? "met" : r.hashes() < 0 ? "not measured" : "NOT met")
                .append("** in this run (%s).\n".formatted(r.hashes() < 0 ? "the service counts no hashes"
                        : "%,d hashes".formatted(r.hashes()))));
        if (refresh.isPresent() && login.isPresent()) {
            var r = refresh.get();
            var l = login.get();
            out.append("Beside it, the same crowd logging in again: %s BCrypt hashes, %s turned away by the line, "
                    .formatted(count(l.hashes()), count(l.shed())))
                    .append("time to all in %s against %s".formatted(allIn(l), allIn(r)));
            if (r.timeToAllInMillis().isPresent() && l.timeToAllInMillis().isPresent() && r.timeToAllInMillis().getAsLong() > 0) {
                out.append(" (%.1f×)".formatted((double) l.timeToAllInMillis().getAsLong() / r.timeToAllInMillis().getAsLong()));
            }
            out.append(", %,d requests against %,d.\n".formatted(l.requests(), r.requests()));
        }
        out.append("\nIntegrity (per coupon, SQL and the audit endpoint against every press's answer: I1 stock and rows "
                + "balance, I2 nobody twice, I3 every 201 has its row, I4 no row behind a refusal, I5 every answer "
                + "defined, I7 nothing left once anyone was told sold out): ")
                .append(cases.stream().allMatch(CaseResult::exact) && problems.isEmpty() ? "every case exact." : "**FAILED**.")
                .append('\n');
        if (!notes.isEmpty()) {
            out.append("\nNotes: ").append(String.join("; ", notes)).append('\n');
        }
        if (!problems.isEmpty()) {
            out.append("\nProblems: ").append(String.join("; ", problems)).append('\n');
        }
        return out.toString();
    }

    /** {@code 2.41 s}, or why not everyone got an outcome. */
    static String allIn(CaseResult c) {
        var allIn = c.timeToAllInMillis();
        return allIn.isPresent() ? seconds(allIn.getAsLong())
                : "not all in: %,d of %,d without an outcome (last answer %s)".formatted(c.undecided(), c.people(),
                        seconds(c.lastAnswerMillis()));
    }

    private static String seconds(long millis) {
        return "%.2f s".formatted(millis / 1000.0);
    }

    private static String count(long value) {
        return value < 0 ? "?" : "%,d".formatted(value);
    }

    private static String counts(Map<String, Integer> counts) {
        return String.join(" · ", counts.entrySet().stream().map(e -> "`%s` %,d".formatted(e.getKey(), e.getValue())).toList());
    }

    private static Optional<CaseResult> find(List<CaseResult> cases, DoorCase door) {
        return cases.stream().filter(c -> c.door() == door).findFirst();
    }

    private static String decimal(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
