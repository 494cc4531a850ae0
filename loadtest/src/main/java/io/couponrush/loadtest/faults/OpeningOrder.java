package io.couponrush.loadtest.faults;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * First come, first served, judged from the client side of a staggered opening: users launched at
 * known instants, so rank 1 arrived first. A perfectly first-come service grants exactly ranks
 * 1..stock; every winner ranked later took a copy one of those should have had.
 *
 * @param outOfOrder       winners ranked after {@code stock}
 * @param latestWinnerRank the highest rank that won (0 when nobody did)
 * @param soldOut          users told COUPON_SOLD_OUT
 * @param earlyRefusals    those ranked within {@code stock}
 * @param undefined        answers without a defined outcome: no answer, a status without a problem
 *                         code, or {@code INTERNAL_ERROR}
 * @param others           answers other than a 201 or COUPON_SOLD_OUT, by code (e.g. CONTENTION)
 */
record OpeningOrder(int stock, int winners, int outOfOrder, int latestWinnerRank, int soldOut, int earlyRefusals,
        int undefined, SortedMap<String, Integer> others) {

    OpeningOrder {
        others = Collections.unmodifiableSortedMap(new TreeMap<>(others));
    }

    /** One user's answer: its launch rank (1 = first), and the outcome code (ISSUED for a 201). */
    record Answer(int rank, String code) {
    }

    static OpeningOrder of(int stock, List<Answer> answers) {
        int winners = 0;
        int late = 0;
        int latest = 0;
        int soldOut = 0;
        int early = 0;
        int undefined = 0;
        var others = new TreeMap<String, Integer>();
        for (var answer : answers) {
            if (!answer.code().equals("ISSUED") && !answer.code().equals("COUPON_SOLD_OUT")) {
                others.merge(answer.code(), 1, Integer::sum);
            }
            switch (answer.code()) {
                case "ISSUED" -> {
                    winners++;
                    latest = Math.max(latest, answer.rank());
                    if (answer.rank() > stock) {
                        late++;
                    }
                }
                case "COUPON_SOLD_OUT" -> {
                    soldOut++;
                    early += answer.rank() <= stock ? 1 : 0;
                }
                case String code when !defined(code) -> undefined++;
                default -> { }
            }
        }
        return new OpeningOrder(stock, winners, late, latest, soldOut, early, undefined, others);
    }

    /**
     * With several instances (rank r went to instance (r - 1) mod n), where the order broke: per
     * instance, winners ranked after the stock and users ranked within it told sold out, e.g.
     * {@code #0: 20 / 0, #1: 0 / 20}; "–" for one instance.
     */
    static String byInstance(int stock, List<Answer> answers, int instances) {
        if (instances < 2) {
            return "–";
        }
        var late = new int[instances];
        var early = new int[instances];
        for (var answer : answers) {
            int instance = (answer.rank() - 1) % instances;
            if (answer.code().equals("ISSUED") && answer.rank() > stock) {
                late[instance]++;
            } else if (answer.code().equals("COUPON_SOLD_OUT") && answer.rank() <= stock) {
                early[instance]++;
            }
        }
        return String.join(", ", java.util.stream.IntStream.range(0, instances)
                .mapToObj(i -> "#%d: %d / %d".formatted(i, late[i], early[i])).toList());
    }

    /** A 201 or a problem code other than INTERNAL_ERROR; {@code NO_ANSWER} and {@code HTTP_<status>} (no code) are not. */
    static boolean defined(String code) {
        return code.equals("ISSUED") || !(code.equals("NO_ANSWER") || code.startsWith("HTTP_") || code.equals("INTERNAL_ERROR"));
    }

    /** Out-of-order copies as a share of the stock, in percent. */
    double outOfOrderPercent() {
        return stock == 0 ? 0 : 100.0 * outOfOrder / stock;
    }

    /** The table cell, e.g. {@code 2.0 % (latest #103)}. */
    String cell() {
        return "%.1f %% (latest #%d)".formatted(outOfOrderPercent(), latestWinnerRank);
    }

    /** Lateness of actual launches against their schedule, in milliseconds: p50, p99, max. */
    record Jitter(double p50, double p99, double max) {

        static Jitter of(long[] latenessNanos) {
            if (latenessNanos.length == 0) {
                return new Jitter(0, 0, 0);
            }
            var sorted = latenessNanos.clone();
            Arrays.sort(sorted);
            return new Jitter(at(sorted, 50), at(sorted, 99), sorted[sorted.length - 1] / 1e6);
        }

        private static double at(long[] ascending, int percent) {
            int rank = (int) Math.ceil(percent / 100.0 * ascending.length);
            return ascending[Math.clamp(rank - 1, 0, ascending.length - 1)] / 1e6;
        }

        @Override
        public String toString() {
            return "p50 %.2f ms, p99 %.2f ms, max %.2f ms".formatted(p50, p99, max);
        }
    }
}
