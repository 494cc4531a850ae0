package io.couponrush.loadtest.door;

import io.couponrush.loadtest.simulation.Answer;
import io.couponrush.loadtest.simulation.Outcomes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * One case of the opening: the crowd's journeys, what the password line did meanwhile, and the coupon's
 * integrity afterwards. Every number of the report is computed here.
 *
 * @param hashes     BCrypt hashes the instances computed during the case (their counters' difference), -1 unknown
 * @param shed       password checks the line answered 503 during the case, -1 unknown
 * @param violations broken invariants of the coupon; empty when exact
 */
record CaseResult(DoorCase door, long couponId, int stock, List<Journey> journeys, long hashes, long shed,
        List<String> violations) {

    CaseResult {
        journeys = List.copyOf(journeys);
        violations = List.copyOf(violations);
    }

    /** Nearest-rank percentiles and the maximum, in milliseconds; all 0 for no samples. */
    record Spread(long p50, long p99, long max, int count) {

        static Spread of(long[] values) {
            if (values.length == 0) {
                return new Spread(0, 0, 0, 0);
            }
            var sorted = values.clone();
            Arrays.sort(sorted);
            return new Spread(at(sorted, 50), at(sorted, 99), sorted[sorted.length - 1], sorted.length);
        }

        private static long at(long[] ascending, int percent) {
            int rank = (int) Math.ceil(percent / 100.0 * ascending.length);
            return ascending[Math.clamp(rank - 1, 0, ascending.length - 1)];
        }
    }

    int people() {
        return journeys.size();
    }

    /** Members whose journey did not end on a decided press (they gave up, or got no answer). */
    int undecided() {
        return (int) journeys.stream().filter(j -> !j.decided()).count();
    }

    /** From the opening until the last member's last answer. */
    long lastAnswerMillis() {
        return journeys.stream().mapToLong(Journey::endMillis).max().orElse(0);
    }

    /** From the opening until every member knew the outcome of its press; empty if some never did. */
    OptionalLong timeToAllInMillis() {
        return journeys.isEmpty() || undecided() > 0 ? OptionalLong.empty() : OptionalLong.of(lastAnswerMillis());
    }

    /** Per member: from its first press to its last answer. */
    Spread waited() {
        return Spread.of(journeys.stream().mapToLong(Journey::waitedMillis).toArray());
    }

    /** Every request of one kind, answered or not: send to answer. */
    Spread latency(Predicate<Step> which) {
        return Spread.of(steps().stream().filter(which).mapToLong(Step::latencyMillis).toArray());
    }

    Spread pressLatency() {
        return latency(step -> step.kind() == Step.Kind.PRESS);
    }

    /** The refreshes and logins, whichever the case made. */
    Spread renewalLatency() {
        return latency(step -> step.kind() != Step.Kind.PRESS);
    }

    int requests() {
        return steps().size();
    }

    int requests(Step.Kind kind) {
        return (int) steps().stream().filter(step -> step.kind() == kind).count();
    }

    /** Every answer to requests of one kind, by {@link Step#label()}. */
    SortedMap<String, Integer> answers(Step.Kind kind) {
        var counts = new TreeMap<String, Integer>();
        steps().stream().filter(step -> step.kind() == kind).forEach(step -> counts.merge(step.label(), 1, Integer::sum));
        return Collections.unmodifiableSortedMap(counts);
    }

    /** Each member's final answer, by {@link Journey#outcome()}. */
    SortedMap<String, Integer> outcomes() {
        var counts = new TreeMap<String, Integer>();
        journeys.forEach(journey -> counts.merge(journey.outcome(), 1, Integer::sum));
        return Collections.unmodifiableSortedMap(counts);
    }

    boolean exact() {
        return violations.isEmpty();
    }

    private List<Step> steps() {
        var all = new ArrayList<Step>();
        journeys.forEach(journey -> all.addAll(journey.steps()));
        return all;
    }

    /**
     * Every issue request's answer, for the integrity checks ({@code IntegrityVerdict}): the code as the
     * other scenarios count it ({@code 201}, the problem's code, {@code NO_RESPONSE} without an answer).
     */
    static List<Answer> pressAnswers(List<Journey> journeys) {
        var answers = new ArrayList<Answer>();
        for (var journey : journeys) {
            for (var step : journey.steps()) {
                if (step.kind() != Step.Kind.PRESS) {
                    continue;
                }
                var code = step.status() == 0 ? Outcomes.NO_RESPONSE : step.code();
                answers.add(new Answer(step.sentMillis(), step.answeredMillis(), (int) step.latencyMillis(), code,
                        step.status() == 201 ? step.userCouponId() : Answer.NONE));
            }
        }
        return answers;
    }

    /**
     * I7 from the clients' side: once anyone was told sold out, no copy may be left (a sold-out answer
     * while stock remains is a copy stranded).
     */
    static List<String> strandedStock(List<Journey> journeys, long remaining) {
        long soldOut = journeys.stream().flatMap(j -> j.steps().stream())
                .filter(step -> step.kind() == Step.Kind.PRESS && "COUPON_SOLD_OUT".equals(step.code())).count();
        return soldOut > 0 && remaining != 0
                ? List.of("I7: %d remaining after %d sold-out answers".formatted(remaining, soldOut)) : List.of();
    }
}
