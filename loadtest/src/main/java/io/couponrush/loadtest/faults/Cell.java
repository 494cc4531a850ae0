package io.couponrush.loadtest.faults;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One run: one fault against one strategy, and what came of it.
 *
 * @param finalAnswers users by the answer they were left with
 * @param attempts     requests sent, retries included
 * @param rushMillis   from the first request to the last final answer
 * @param recovery     how soon grants came back after a dependency returned; null for the other faults
 * @param error        why the run could not be completed; then verdict and stall are null
 */
public record Cell(Fault fault, String strategy, long couponId, CellVerdict verdict, Stall stall, Recovery recovery,
                   FaultWindow window,
                   Holdings holdings, Map<String, Long> finalAnswers, long users, long attempts, long rushMillis,
                   String error) {

    public Cell {
        finalAnswers = finalAnswers == null ? Map.of() : Map.copyOf(finalAnswers);
    }

    public static Cell measured(Fault fault, String strategy, long couponId, FaultWindow window, Holdings holdings,
                                List<UserRun> runs, long rushMillis) {
        var finals = runs.stream().collect(Collectors.groupingBy(
                run -> run.last() == null ? "NOT_SENT" : run.last().code(), TreeMap::new, Collectors.counting()));
        boolean dependency = fault == Fault.REDIS || fault == Fault.MARIADB;
        return new Cell(fault, strategy, couponId, CellVerdict.evaluate(holdings, runs), Stall.of(runs, window),
                dependency ? Recovery.of(runs, window) : null, window, holdings, finals, runs.size(),
                runs.stream().mapToLong(run -> run.attempts().size()).sum(), rushMillis, null);
    }

    public static Cell failed(Fault fault, String strategy, long couponId, String error) {
        return new Cell(fault, strategy, couponId, null, null, null, null, null, Map.of(), 0, 0, 0, error);
    }

    public boolean exact() {
        return error == null && verdict.exact();
    }

    public String verdictLabel() {
        return error != null ? "not run: " + error : verdict.label();
    }

    public String recoveryLabel() {
        return error != null || recovery == null ? "–" : recovery.label();
    }

    public String stallLabel() {
        return error != null ? "–" : stall.label();
    }

    /** {@code 201 ×100, COUPON_SOLD_OUT ×200}: the answers users were left with, most common first. */
    public String finalAnswersLabel() {
        return finalAnswers.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(entry -> "%s ×%,d".formatted(entry.getKey(), entry.getValue()))
                .collect(Collectors.joining(", "));
    }
}
