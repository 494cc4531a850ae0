package io.couponrush.loadtest.door;

/** Reads one metric from the Prometheus text the actuator answers ({@code GET /actuator/prometheus}). */
final class Metrics {

    static final String HASHES = "couponrush_passwords_hashes_total";
    static final String SHED = "couponrush_passwords_shed_total";

    private Metrics() {
    }

    /**
     * The sum of every series of {@code name} (whatever its labels), or -1 when the text has none: an
     * older service that does not count hashes must not read as "0 hashes".
     */
    static double sum(String prometheusText, String name) {
        double sum = 0;
        boolean found = false;
        for (var line : prometheusText.split("\n")) {
            if (line.startsWith("#") || !line.startsWith(name)) {
                continue;
            }
            var rest = line.substring(name.length());
            if (!(rest.startsWith(" ") || rest.startsWith("{"))) {
                continue; // another metric whose name starts with this one
            }
            if (rest.startsWith("{")) {
                int end = rest.lastIndexOf('}');
                if (end < 0) {
                    continue;
                }
                rest = rest.substring(end + 1);
            }
            var fields = rest.trim().split("\\s+");
            if (fields.length == 0 || fields[0].isEmpty()) {
                continue;
            }
            try {
                sum += Double.parseDouble(fields[0]);
                found = true;
            } catch (NumberFormatException notAValue) {
                // a line this reader does not understand: not a sample
            }
        }
        return found ? sum : -1;
    }
}
