package io.couponrush.loadtest.room;

import java.util.List;
import java.util.Map;

/** The Markdown report of a waiting-room run: printed, and written to {@code waiting-room.md}. */
final class WaitingRoomReport {

    private WaitingRoomReport() {
    }

    static String render(RoomSettings settings, String machine, String setup, List<RoomResult> cases, List<String> notes,
            List<String> problems) {
        var out = new StringBuilder("# waiting-room: a crowd on a coupon of few copies, room off and on\n\n");
        out.append("Machine: ").append(machine).append("  \n");
        out.append("Command: `").append(settings.command()).append("`  \n");
        out.append("Setup: ").append(setup).append("\n\n");
        out.append(("Each case: the same %,d people (one account each) on a fresh coupon of %,d copies (limit 1, strategy "
                + "`%s`), %s; every request goes through a pool of %,d keep-alive connections per instance (the proxy in "
                + "front of the service), its latency counted from when the person wanted to send it.\n\n").formatted(
                settings.users(), settings.stock(), settings.strategy(),
                settings.instances() == 1 ? "one instance" : "person *i* to instance *i* mod " + settings.instances(),
                settings.connections()));
        out.append(("- **room off**: everyone presses `POST /issue` at the opening (spread over %s s), and again when "
                + "told to come back (503, 429: after `Retry-After`).\n").formatted(decimal(RoomSettings.PRESS_WINDOW.toMillis() / 1000.0)));
        out.append(("- **fifo room** / **raffle room**: `waitingRoom` with `admitPerSecond` %s and `turnSeconds` %d; everyone "
                + "joins (`POST /queue`) spread over %s s ending %d s before the opening, looks again (`GET /queue/me`) when "
                + "`Retry-After` says, presses when ADMITTED, and stops at ISSUED, SOLD_OUT, LAPSED or CLOSED. The line's "
                + "numbers (`GET /queue`) are sampled every 200 ms.\n\n").formatted(decimal(settings.admitPerSecond()),
                RoomSettings.TURN_SECONDS, decimal(settings.joinWindow().toMillis() / 1000.0), RoomSettings.LEAD.toSeconds()));

        out.append("| case | people | requests: all (join · poll · press) | join p50 / p99 | poll p50 / p99 | press p50 / p99 "
                + "| per person p50 / p99 | final answer after the opening p50 / p99 | 5xx |\n|---|---:|---|---:|---:|---:|---:|---:|---:|\n");
        for (var c : cases) {
            out.append("| %s | %,d | %,d (%,d · %,d · %,d) | %s | %s | %s | %s | %s | %,d |\n".formatted(c.roomCase().title(),
                    c.people(), c.requests(), c.requests(Exchange.Kind.JOIN), c.requests(Exchange.Kind.POLL),
                    c.requests(Exchange.Kind.PRESS), c.latency(Exchange.Kind.JOIN).p50p99(),
                    c.latency(Exchange.Kind.POLL).p50p99(), c.latency(Exchange.Kind.PRESS).p50p99(), c.perPerson().p50p99(),
                    c.fromOpening().p50p99(), c.serverErrors()));
        }

        out.append(("\n| case | admitted vs rate × elapsed | final answer within the announced wait + %s s | final answers "
                + "| order | integrity |\n|---|---|---|---|---|---|\n").formatted(decimal(settings.tolerance().toMillis() / 1000.0)));
        for (var c : cases) {
            out.append("| %s | %s | %s | %s | %s | %s |\n".formatted(c.roomCase().title(), rate(c), announced(c),
                    counts(c.outcomes()), order(c), c.violations().isEmpty() ? "exact" : String.join("; ", c.violations())));
        }

        out.append("\nAnswers by request (`status code-or-state` × count):\n\n| case | join | poll | press |\n|---|---|---|---|\n");
        for (var c : cases) {
            out.append("| ").append(c.roomCase().title());
            for (var kind : Exchange.Kind.values()) {
                out.append(" | ").append(c.requests(kind) == 0 ? "–" : "%,d: %s".formatted(c.requests(kind), counts(c.answers(kind))));
            }
            out.append(" |\n");
        }

        for (var c : cases) {
            if (c.roomCase().room() && !c.samples().isEmpty()) {
                out.append("\nAdmitted over time, %s (admitted / allowed = floor(%s × seconds since the opening)): %s\n".formatted(
                        c.roomCase().title(), decimal(c.rate()), String.join(" · ", RateCheck.series(c.samples(), c.rate(), 15))));
            }
        }
        cases.stream().filter(c -> c.draw().isPresent()).forEach(c -> {
            var draw = c.draw().get();
            out.append(("\nThe raffle's draw (coupon %d): the revealed seed's SHA-256 %s the hash published at creation; the "
                    + "order recomputed here (own HMAC-SHA256, ascending unsigned) %s the published one over %,d entrants; "
                    + "the entrants %s the people the database has joining before the opening.\n").formatted(c.couponId(),
                    draw.seedCommitted() ? "is" : "is **NOT**", draw.orderMatches() ? "is" : "is **NOT**", draw.entrants(),
                    draw.entrantsMatch() ? "are" : "are **NOT**"));
        });

        var rooms = cases.stream().filter(c -> c.roomCase().room()).toList();
        if (!rooms.isEmpty()) {
            boolean no5xx = rooms.stream().allMatch(c -> c.serverErrors() == 0);
            boolean underRate = rooms.stream().allMatch(c -> c.rateCheck().samples() > 0 && c.rateCheck().held());
            out.append("\nGoals (issue 21): with the room on, 0 × 5xx: **%s**; admitted never above the rate (at most %d over "
                    .formatted(no5xx ? "met" : "NOT met", RateCheck.TOLERANCE))
                    .append("`rate × elapsed`): **%s**.\n".formatted(underRate ? "met" : "NOT met"));
        }
        var off = cases.stream().filter(c -> !c.roomCase().room()).findFirst();
        off.ifPresent(o -> rooms.forEach(r -> out.append("The crowd sent %,d requests with the %s against %,d with the room off; ".formatted(
                r.requests(), r.roomCase().title(), o.requests())).append("everyone had a final answer %s after the opening against %s.\n"
                .formatted(seconds(r.fromOpening().max()), seconds(o.fromOpening().max())))));

        boolean failed = !problems.isEmpty() || cases.stream().anyMatch(c -> !c.failures().isEmpty());
        out.append("\nVerdict (fails only on integrity, a 5xx — with the room off a 500 — or admissions above the rate): ")
                .append(failed ? "**FAILED**" : "every case passed").append('.');
        cases.stream().filter(c -> !c.failures().isEmpty())
                .forEach(c -> out.append(" %s: %s.".formatted(c.roomCase().title(), String.join("; ", c.failures()))));
        out.append('\n');
        if (!notes.isEmpty()) {
            out.append("\nNotes: ").append(String.join("; ", notes)).append('\n');
        }
        if (!problems.isEmpty()) {
            out.append("\nProblems: ").append(String.join("; ", problems)).append('\n');
        }
        return out.toString();
    }

    private static String rate(RoomResult c) {
        if (!c.roomCase().room()) {
            return "–";
        }
        var check = c.rateCheck();
        if (check.samples() == 0) {
            return "no samples";
        }
        return "max excess %+,d over %,d samples (%s)".formatted(check.maxExcess(), check.samples(),
                check.held() ? "never above" : "**ABOVE THE RATE**");
    }

    private static String announced(RoomResult c) {
        long told = c.announced();
        if (told == 0) {
            return "–";
        }
        var late = c.lateness();
        return "%.1f %% (%,d of %,d told a wait; final minus announced p99 %+,d ms, max %+,d ms)".formatted(
                c.withinAnnounced() * 100.0 / told, c.withinAnnounced(), told, late.p99(), late.max());
    }

    private static String order(RoomResult c) {
        var parts = new java.util.ArrayList<String>();
        if (!Double.isNaN(c.auditOutOfOrder())) {
            parts.add("audit: %.1f %% out of order".formatted(c.auditOutOfOrder()));
        }
        c.orders().forEach(line -> parts.add("vs %s: %s".formatted(line.against(), line.order().describe())));
        return parts.isEmpty() ? "–" : String.join("; ", parts);
    }

    private static String seconds(long millis) {
        return "%.1f s".formatted(millis / 1000.0);
    }

    static String counts(Map<String, Integer> counts) {
        return String.join(" · ", counts.entrySet().stream().map(e -> "`%s` %,d".formatted(e.getKey(), e.getValue())).toList());
    }

    static String decimal(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
