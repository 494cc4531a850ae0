package io.couponrush.loadtest.capacity;

/**
 * What the operator plans for: {@code people} press "issue" within {@code seconds} for {@code copies}.
 *
 * @param retryRate         the chance that a refused person presses again (each time; 0 = nobody retries)
 * @param retryDelaySeconds how long a refused person waits before pressing again (on average)
 */
public record Sale(int copies, long people, double seconds, double retryRate, double retryDelaySeconds,
                   Arrival arrival) {

    public Sale {
        if (copies < 0 || people < 1 || !(seconds > 0)) {
            throw new IllegalArgumentException("copies >= 0, people >= 1 and seconds > 0");
        }
        if (!(retryRate >= 0 && retryRate < 1)) {
            throw new IllegalArgumentException("--retry-rate is a chance: 0 <= R < 1");
        }
        if (retryDelaySeconds < 0) {
            throw new IllegalArgumentException("--retry-delay must not be negative");
        }
    }

    /** People who get nothing. */
    public long refusedPeople() {
        return Math.max(0, people - copies);
    }

    /**
     * Requests in all: one per person, and each refused person presses again with the retry rate every time
     * it is refused (a geometric number of presses, 1 / (1 - R) on average).
     */
    public double requests() {
        return Math.min(people, copies) + refusedPeople() / (1 - retryRate);
    }

    /** First presses per second at the curve's peak. */
    public double peakPressRate() {
        return arrival.peakFactor() * people / seconds;
    }

    /**
     * Requests per second in the busiest tenth of a second, retries included: presses follow the arrival curve,
     * and a refused request comes back with the retry rate after between half and one and a half times the
     * retry delay. Computed as a fluid in steps of a millisecond: r(t) = presses(t) + R × the mean of r over
     * [t - 1.5 d, t - 0.5 d]. Every request counts as refused (the copies are a rounding error of the crowd).
     * For a crowd that keeps arriving this tends to presses / (1 - R); for a front-loaded one, whose retries
     * land in its quieter tail, it is less.
     */
    public double peakRequestRate() {
        if (retryRate == 0) {
            return peakPressRate();
        }
        if (retryDelaySeconds == 0) {
            return peakPressRate() / (1 - retryRate);
        }
        double step = 0.001;
        double horizon = seconds + 30 * 1.5 * retryDelaySeconds;
        int steps = (int) Math.ceil(horizon / step);
        var rate = new double[steps];
        var prefix = new double[steps + 1];
        int near = (int) Math.round(0.5 * retryDelaySeconds / step);
        int far = (int) Math.round(1.5 * retryDelaySeconds / step);
        for (int i = 0; i < steps; i++) {
            double t = i * step;
            double presses = t < seconds ? people / seconds * density(t / seconds) : 0;
            double retries = 0;
            int from = i - far;
            int to = i - near;
            if (to > 0) {
                int lo = Math.max(0, from);
                retries = retryRate * (prefix[to] - prefix[lo]) / Math.max(1, far - near);
            }
            rate[i] = presses + retries;
            prefix[i + 1] = prefix[i] + rate[i];
        }
        int window = (int) Math.round(0.1 / step);
        double busiest = 0;
        for (int i = 0; i + window <= steps; i++) {
            busiest = Math.max(busiest, (prefix[i + window] - prefix[i]) / window);
        }
        return busiest;
    }

    /** The arrival curve's density at x = t / T (its share per unit of x). */
    private double density(double x) {
        double h = 1e-6;
        return (arrival.share(Math.min(1, x + h)) - arrival.share(Math.max(0, x - h)))
                / (Math.min(1, x + h) - Math.max(0, x - h));
    }

    /** When the last copy is taken if every press is answered in its turn: the copies-th press. */
    public double sellOutSeconds() {
        return copies >= people ? Double.NaN : arrival.when((double) copies / people) * seconds;
    }
}
