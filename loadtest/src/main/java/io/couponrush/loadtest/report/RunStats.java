package io.couponrush.loadtest.report;

import io.couponrush.loadtest.simulation.Answer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The numbers of one run, computed from every recorded answer (not from Gatling's sampled log),
 * so that every strategy and the trivial endpoint are measured the same way.
 *
 * @param window  from the first request sent to the last answer read
 * @param codes   answers by outcome code, successes first
 */
public record RunStats(long requests, Duration window, Latency latency, Map<String, Long> codes,
                       Optional<Duration> timeUntilSoldOut) {

    /** Latency in milliseconds; percentiles by nearest rank. */
    public record Latency(int p50, int p95, int p99, int max, double mean) {
        static final Latency EMPTY = new Latency(0, 0, 0, 0, 0);
    }

    /** Successes ("200", "201") first, then codes alphabetically. */
    static final Comparator<String> CODE_ORDER =
            Comparator.<String, Boolean>comparing(code -> !code.chars().allMatch(Character::isDigit))
                    .thenComparing(Function.identity());

    /**
     * @param stock when present, {@link #timeUntilSoldOut} is the time from the first request to the
     *              answer that granted the last unit (the stock-th 201), if that many were granted
     */
    public static RunStats of(List<Answer> answers, Optional<Integer> stock) {
        if (answers.isEmpty()) {
            return new RunStats(0, Duration.ZERO, Latency.EMPTY, Map.of(), Optional.empty());
        }
        long first = answers.stream().mapToLong(Answer::startMillis).min().orElseThrow();
        long last = answers.stream().mapToLong(Answer::endMillis).max().orElseThrow();
        var sorted = answers.stream().mapToInt(Answer::latencyMillis).sorted().toArray();
        var latency = new Latency(percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 99),
                sorted[sorted.length - 1], Arrays.stream(sorted).average().orElse(0));
        var codes = answers.stream().collect(Collectors.groupingBy(Answer::code,
                () -> new TreeMap<>(CODE_ORDER), Collectors.counting()));
        Optional<Duration> soldOut = stock.flatMap(units -> {
            var grantEnds = answers.stream().filter(Answer::granted).map(Answer::endMillis)
                    .sorted().toList();
            return units > 0 && grantEnds.size() >= units
                    ? Optional.of(Duration.ofMillis(grantEnds.get(units - 1) - first))
                    : Optional.empty();
        });
        return new RunStats(answers.size(), Duration.ofMillis(Math.max(1, last - first)), latency,
                Collections.unmodifiableMap(codes), soldOut);
    }

    /** Nearest-rank percentile of an ascending array: the smallest value with at least p% at or below it. */
    static int percentile(int[] ascending, double p) {
        if (ascending.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * ascending.length);
        return ascending[Math.clamp(rank - 1, 0, ascending.length - 1)];
    }

    /** Answers per second over the window. */
    public double throughput() {
        return requests == 0 ? 0 : requests * 1000.0 / window.toMillis();
    }

    public long count(String code) {
        return codes.getOrDefault(code, 0L);
    }
}
