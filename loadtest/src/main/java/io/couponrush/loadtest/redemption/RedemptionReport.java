package io.couponrush.loadtest.redemption;

import java.util.List;
import java.util.Map;

/** The Markdown report of a redemption run: printed, and written to {@code redemption.md}. */
final class RedemptionReport {

    private RedemptionReport() {
    }

    static String render(RedemptionSettings settings, String machine, String setup, List<StormResult> storms, KillCase kill,
            List<String> notes, List<String> problems) {
        var out = new StringBuilder("# redemption: spending copies, storms of checkouts and an instance killed mid-way\n\n");
        out.append("Machine: ").append(machine).append("  \n");
        out.append("Command: `").append(settings.command()).append("`  \n");
        out.append("Setup: ").append(setup).append("\n\n");
        if (settings.storm()) {
            out.append(("**Storms.** Per strategy a coupon of %,d copies, one issued to each of %,d fixture users; %,d copies in "
                    + "flight at a time; on each copy %d–%d checkouts (each its own order id) start at the same instant, "
                    + "alternating between the instances: reserve, then confirm; %.0f %% cancel after the reserve instead, "
                    + "%.0f %% cancel after the confirm (restored), %.0f %% double-click (each request sent twice at once, "
                    + "the twin to the other instance). Order systems call with HTTP Basic; the hold is %s s. Plans drawn "
                    + "from seed %d.\n\n").formatted(settings.copies(), settings.copies(), settings.concurrency(),
                    Checkout.FEWEST, Checkout.MOST, Checkout.CANCEL_BEFORE * 100, Checkout.CANCEL_AFTER * 100,
                    Checkout.DOUBLE_CLICK * 100, seconds(settings.hold().toMillis()), settings.seed()));
            out.append("| strategy | copies | orders | requests | req/s | reserve p50 / p99 | confirm p50 / p99 | cancel p50 / p99 "
                    + "| spent twice: ledger / audit | books | balanced | rows = answers | verdict |\n"
                    + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|---|\n");
            for (var s : storms) {
                out.append("| %s | %,d | %,d | %,d | %,.1f | %s | %s | %s | %,d / %s | %s | %s | %s | %s |\n".formatted(
                        s.strategy(), s.copies(), s.orders(), s.requests(), s.throughput(), s.latency(Call.Op.RESERVE).p50p99(),
                        s.latency(Call.Op.CONFIRM).p50p99(), s.latency(Call.Op.CANCEL).p50p99(), s.ledger().spentTwice(),
                        s.books() == null ? "?" : "%,d".formatted(s.books().usedTwice()),
                        s.books() == null ? "no answer" : s.books().describe(),
                        s.books() == null ? "?" : s.books().balanced() ? "yes" : "**no**",
                        s.disagreements() == 0 ? "yes" : "%,d copies differ".formatted(s.disagreements()), verdict(s)));
            }
            out.append("\nAnswers by request (`status code-or-state` × count):\n\n| strategy | reserve | confirm | cancel |\n|---|---|---|---|\n");
            for (var s : storms) {
                out.append("| ").append(s.strategy());
                for (var op : Call.Op.values()) {
                    var answers = s.ledger().answers(op);
                    out.append(" | ").append(answers.isEmpty() ? "–" : counts(answers));
                }
                out.append(" |\n");
            }
            storms.stream().filter(s -> !s.remarks().isEmpty())
                    .forEach(s -> out.append("\n%s: %s.".formatted(s.strategy(), String.join("; ", s.remarks()))));
            out.append("\n\nGoal (issue 22): the naive read-then-update spends a copy twice, the conditional update never: ");
            var naive = storms.stream().filter(StormResult::unsafeByDesign).findFirst();
            var conditional = storms.stream().filter(s -> !s.unsafeByDesign()).findFirst();
            out.append(naive.map(n -> "naive spent %,d copies twice (audit %s)".formatted(n.ledger().spentTwice(),
                    n.books() == null ? "?" : "%,d".formatted(n.books().usedTwice()))).orElse("naive not run"));
            out.append(conditional.map(c -> ", conditional %,d (audit %s): **%s**.\n".formatted(c.ledger().spentTwice(),
                    c.books() == null ? "?" : "%,d".formatted(c.books().usedTwice()), c.violations().isEmpty() ? "met" : "NOT met"))
                    .orElse("; conditional not run.\n"));
        }
        if (kill != null) {
            out.append(("\n**Kill between reserve and confirm** (coupon %d, %,d copies, hold %s s): instance A (pid %d) killed with "
                    + "`kill -9` after the reserves; the checks waited %.1f s for the holds to lapse.\n\n").formatted(kill.couponId(),
                    kill.copies(), seconds(settings.hold().toMillis()), kill.killedPid(), kill.lapseWaitMillis() / 1000.0));
            out.append("| step | expected | got | |\n|---|---|---|---|\n");
            kill.steps().forEach(step -> out.append("| %s | %s | %s | %s |\n".formatted(step.what(), step.expected(), step.got(),
                    step.ok() ? "ok" : "**BROKEN**")));
        }
        boolean failed = !problems.isEmpty() || storms.stream().anyMatch(StormResult::failsRun) || kill != null && !kill.exact();
        out.append("\nVerdict (fails only if the conditional strategy spends a copy twice or its books do not balance, or the "
                + "kill case finds a copy out of place): ").append(failed ? "**FAILED**" : "passed").append(".\n");
        if (!notes.isEmpty()) {
            out.append("\nNotes: ").append(String.join("; ", notes)).append('\n');
        }
        if (!problems.isEmpty()) {
            out.append("\nProblems: ").append(String.join("; ", problems)).append('\n');
        }
        return out.toString();
    }

    private static String verdict(StormResult s) {
        var violations = s.violations();
        if (s.unsafeByDesign()) {
            return violations.isEmpty() ? "held this time (unsafe by design)" : "broken as expected: " + String.join("; ", violations);
        }
        return violations.isEmpty() ? "PASS" : "**FAIL**: " + String.join("; ", violations);
    }

    static String counts(Map<String, Integer> counts) {
        return String.join(" · ", counts.entrySet().stream().map(e -> "`%s` %,d".formatted(e.getKey(), e.getValue())).toList());
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : Double.toString(millis / 1000.0);
    }
}
