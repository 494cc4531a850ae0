package io.couponrush.loadtest.room;

import io.couponrush.loadtest.report.Spread;
import io.couponrush.loadtest.simulation.Answer;
import io.couponrush.loadtest.simulation.Outcomes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One case: the crowd's visits, the line's numbers over time, the order checks and the coupon's integrity.
 * Every number of the report is computed here.
 *
 * @param rate             the room's admissions per second (unused without a room)
 * @param samples          the line's public numbers every ~200 ms (empty without a room)
 * @param auditOutOfOrder  the audit endpoint's {@code arrivalOrder.outOfOrderPercent}, or NaN without an answer
 * @param draw             a raffle's published draw checked against its commitment and recomputed here
 * @param orders           admission order checks, each against some expected order
 * @param violations       broken integrity invariants; empty when exact
 */
record RoomResult(RoomCase roomCase, long couponId, int stock, double rate, Duration tolerance, List<Visit> visits,
        List<LineSample> samples, double auditOutOfOrder, Optional<Draw.Verdict> draw, List<OrderLine> orders,
        List<String> violations) {

    /** Admissions against one expected order. */
    record OrderLine(String against, AdmissionOrder order) {
    }

    RoomResult {
        visits = List.copyOf(visits);
        samples = List.copyOf(samples);
        orders = List.copyOf(orders);
        violations = List.copyOf(violations);
    }

    int people() {
        return visits.size();
    }

    List<Exchange> exchanges() {
        var all = new ArrayList<Exchange>();
        visits.forEach(visit -> all.addAll(visit.exchanges()));
        return all;
    }

    int requests() {
        return visits.stream().mapToInt(visit -> visit.exchanges().size()).sum();
    }

    int requests(Exchange.Kind kind) {
        return (int) exchanges().stream().filter(e -> e.kind() == kind).count();
    }

    /** Send (or the wish to send, a wait for the proxy's connection included) to answer, every request of a kind. */
    Spread latency(Exchange.Kind kind) {
        return Spread.of(exchanges().stream().filter(e -> e.kind() == kind).mapToLong(Exchange::latencyMillis).toArray());
    }

    /** Per person: from its first request's due time to its final answer. */
    Spread perPerson() {
        return Spread.of(visits.stream().mapToLong(Visit::waitedMillis).toArray());
    }

    /** Per person: from the opening to its final answer. */
    Spread fromOpening() {
        return Spread.of(visits.stream().mapToLong(Visit::finalMillis).toArray());
    }

    /** Answers with a 5xx status, every kind. */
    long serverErrors() {
        return exchanges().stream().filter(Exchange::serverError).count();
    }

    /** Answers {@code 500}: an error the service did not mean to give (a 503 is a defined "come back later"). */
    long internalErrors() {
        return exchanges().stream().filter(e -> e.status() == 500).count();
    }

    SortedMap<String, Integer> answers(Exchange.Kind kind) {
        var counts = new TreeMap<String, Integer>();
        exchanges().stream().filter(e -> e.kind() == kind).forEach(e -> counts.merge(e.label(), 1, Integer::sum));
        return Collections.unmodifiableSortedMap(counts);
    }

    /** Each person's final answer. */
    SortedMap<String, Integer> outcomes() {
        var counts = new TreeMap<String, Integer>();
        visits.forEach(visit -> counts.merge(visit.outcome(), 1, Integer::sum));
        return Collections.unmodifiableSortedMap(counts);
    }

    long undecided() {
        return visits.stream().filter(visit -> !visit.decided()).count();
    }

    RateCheck rateCheck() {
        return RateCheck.of(samples, rate);
    }

    /** People told a wait with a place in the line. */
    long announced() {
        return visits.stream().filter(visit -> visit.announced().isPresent()).count();
    }

    /** Of those, the ones whose final answer came within the announced wait plus the tolerance. */
    long withinAnnounced() {
        return visits.stream().filter(visit -> visit.decided() && visit.latenessMillis()
                .filter(late -> late <= tolerance.toMillis()).isPresent()).count();
    }

    /** Final answer minus announced wait, over the people told one (negative: early). */
    Spread lateness() {
        return Spread.of(visits.stream().flatMap(visit -> visit.latenessMillis().stream()).mapToLong(Long::longValue).toArray());
    }

    /** Why this case fails the run: integrity, a 5xx (with the room off only a 500), admissions above the rate. */
    List<String> failures() {
        var out = new ArrayList<>(violations);
        long errors = roomCase.room() ? serverErrors() : internalErrors();
        if (errors > 0) {
            out.add("%,d × %s".formatted(errors, roomCase.room() ? "5xx" : "500"));
        }
        if (roomCase.room()) {
            var check = rateCheck();
            if (check.samples() == 0) {
                out.add("the line's numbers could not be sampled");
            } else if (!check.held()) {
                out.add("admitted %,d above rate × elapsed (at %.1f s: %,d admitted, %,d allowed)".formatted(check.maxExcess(),
                        check.worst().atMillis() / 1000.0, check.worst().admitted(),
                        RateCheck.allowed(rate, check.worst().atMillis())));
            }
        }
        return out;
    }

    /** Every press's answer, for the integrity checks (the code as the other scenarios count it). */
    static List<Answer> pressAnswers(List<Visit> visits) {
        var answers = new ArrayList<Answer>();
        for (var visit : visits) {
            for (var e : visit.exchanges()) {
                if (e.kind() == Exchange.Kind.PRESS) {
                    answers.add(new Answer(e.sentMillis(), e.answeredMillis(), (int) e.latencyMillis(),
                            e.status() == 0 ? Outcomes.NO_RESPONSE : e.code(), e.status() == 201 ? e.userCouponId() : Answer.NONE));
                }
            }
        }
        return answers;
    }

    /** I7: once anyone was told sold out, no copy may be left. */
    static List<String> strandedStock(List<Visit> visits, long remaining) {
        long soldOut = visits.stream().filter(visit -> visit.outcome().equals("SOLD_OUT")).count();
        return soldOut > 0 && remaining != 0
                ? List.of("I7: %,d remaining after %,d people were told sold out".formatted(remaining, soldOut)) : List.of();
    }
}
