package io.couponrush.loadtest.redemption;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An instance killed between reserve and confirm: copies reserved through instance A, A killed with
 * {@code kill -9}, then through instance B a third confirmed (their holds are live: each must succeed), a third
 * cancelled, a third left; once real time has passed the hold, every copy must be in exactly one state, the left
 * ones usable again and nothing confirmed lost. Each step's verdict is computed here from what was seen.
 *
 * @param steps what was done and checked, in order
 */
record KillCase(long couponId, int copies, long killedPid, long lapseWaitMillis, List<Step> steps) {

    /** One step: what was expected and what came. */
    record Step(String what, String expected, String got, boolean ok) {
    }

    KillCase {
        steps = List.copyOf(steps);
    }

    boolean exact() {
        return steps.stream().allMatch(Step::ok);
    }

    List<Step> broken() {
        return steps.stream().filter(step -> !step.ok()).toList();
    }

    /** Every reserve through A answered 200 RESERVED. */
    static Step reserved(List<Call> reserves, int copies) {
        long ok = reserves.stream().filter(c -> c.ok() && "RESERVED".equals(c.state())).count();
        return new Step("reserve %,d copies through instance A".formatted(copies), "`200 RESERVED` × %,d".formatted(copies),
                counts(reserves), ok == copies && reserves.size() == copies);
    }

    /**
     * Confirms through B after A's death: one answered before its copy's hold ended must be {@code 200 USED} (the
     * hold was live); one answered later may be {@code HOLD_LAPSED} (the machine was slower than the hold), reported.
     *
     * @param holdUntil       per copy, when its hold ends (epoch ms, from the reserve's answer)
     * @param originEpochMillis the epoch milliseconds the calls' times count from
     */
    static Step confirmed(List<Call> confirms, Map<Long, Long> holdUntil, long originEpochMillis) {
        long ok = confirms.stream().filter(c -> c.ok() && "USED".equals(c.state())).count();
        long refusedLive = confirms.stream().filter(c -> !c.ok()
                && originEpochMillis + c.answeredMillis() < holdUntil.getOrDefault(c.copy(), Long.MAX_VALUE)).count();
        long late = confirms.stream().filter(c -> !c.ok()
                && originEpochMillis + c.answeredMillis() >= holdUntil.getOrDefault(c.copy(), Long.MAX_VALUE)).count();
        var got = counts(confirms) + (late > 0 ? " (%,d answered after the hold ended)".formatted(late) : "");
        return new Step("confirm %,d of them through instance B".formatted(confirms.size()),
                "`200 USED` for every one answered while its hold was live", got, refusedLive == 0 && ok + late == confirms.size());
    }

    static Step cancelled(List<Call> cancels) {
        long ok = cancels.stream().filter(c -> c.ok() && "ISSUED".equals(c.state())).count();
        return new Step("cancel %,d of them through instance B".formatted(cancels.size()),
                "`200 ISSUED` × %,d".formatted(cancels.size()), counts(cancels), ok == cancels.size());
    }

    /**
     * Right after the confirms and cancels, while the left holds may still be live: every copy in one state (how
     * many are still reserved depends on how long the steps took, so it is shown, not required).
     */
    static Step meanwhile(Books books, int copies, long confirmed) {
        var expected = "used %,d; balanced, used twice 0 (the left still reserved while their holds last)".formatted(confirmed);
        if (books == null) {
            return new Step("audit books before the holds lapsed", expected, "no answer", false);
        }
        boolean ok = books.balanced() && books.usedTwice() == 0 && books.used() == confirmed && books.states() == copies;
        return new Step("audit books before the holds lapsed", expected, books.describe() + "; balanced %s, used twice %,d"
                .formatted(books.balanced(), books.usedTwice()), ok);
    }

    /** After the holds lapsed: the confirmed used, the rest usable, nothing reserved, every copy in one state. */
    static Step afterLapse(Books books, int copies, long confirmed) {
        var expected = "usable %,d · reserved 0 · used %,d; balanced, used twice 0".formatted(copies - confirmed, confirmed);
        if (books == null) {
            return new Step("audit books once the holds lapsed", expected, "no answer", false);
        }
        boolean ok = books.balanced() && books.usedTwice() == 0 && books.reserved() == 0 && books.used() == confirmed
                && books.usable() == copies - confirmed && books.states() == copies;
        return new Step("audit books once the holds lapsed", expected, books.describe() + "; balanced %s, used twice %,d"
                .formatted(books.balanced(), books.usedTwice()), ok);
    }

    /**
     * The rows: every copy whose confirm was answered 200 is used by its order, and no other copy is used.
     *
     * @param usedBy    per copy, the order the database has it used by ({@code null}: not used)
     * @param confirmed per copy confirmed with 200, its order
     */
    static Step rows(Map<Long, String> usedBy, Map<Long, String> confirmed) {
        long kept = confirmed.entrySet().stream().filter(e -> e.getValue().equals(usedBy.get(e.getKey()))).count();
        long extra = usedBy.entrySet().stream().filter(e -> e.getValue() != null && !confirmed.containsKey(e.getKey())).count();
        return new Step("the rows of the confirmed copies (SQL)", "%,d used by their order, no other copy used".formatted(
                confirmed.size()), "%,d used by their order, %,d other copies used".formatted(kept, extra),
                kept == confirmed.size() && extra == 0);
    }

    /**
     * Every copy reserved again through B with a new order: the left and the cancelled ones {@code 200}, the
     * confirmed ones {@code 409 ALREADY_USED}.
     */
    static Step reservedAgain(List<Call> again, Set<Long> confirmed) {
        long free = again.stream().filter(c -> !confirmed.contains(c.copy())).count();
        long freeOk = again.stream().filter(c -> !confirmed.contains(c.copy()) && c.ok()).count();
        long usedRefused = again.stream().filter(c -> confirmed.contains(c.copy()) && "ALREADY_USED".equals(c.code())).count();
        return new Step("reserve every copy again through instance B (new orders)",
                "`200` × %,d (left and cancelled), `409 ALREADY_USED` × %,d (confirmed)".formatted(free, confirmed.size()),
                counts(again), freeOk == free && usedRefused == confirmed.size() && again.size() == free + confirmed.size());
    }

    /** The books once the free copies were reserved again. */
    static Step finalBooks(Books books, int copies, long confirmed) {
        var expected = "reserved %,d · used %,d; balanced, used twice 0".formatted(copies - confirmed, confirmed);
        if (books == null) {
            return new Step("audit books at the end", expected, "no answer", false);
        }
        boolean ok = books.balanced() && books.usedTwice() == 0 && books.reserved() == copies - confirmed
                && books.used() == confirmed && books.states() == copies;
        return new Step("audit books at the end", expected, books.describe() + "; balanced %s, used twice %,d".formatted(
                books.balanced(), books.usedTwice()), ok);
    }

    static String counts(List<Call> calls) {
        SortedMap<String, Integer> counts = new TreeMap<>();
        calls.forEach(call -> counts.merge(call.label(), 1, Integer::sum));
        var parts = new ArrayList<String>();
        counts.forEach((label, count) -> parts.add("`%s` %,d".formatted(label, count)));
        return parts.isEmpty() ? "none" : String.join(" · ", parts);
    }
}
