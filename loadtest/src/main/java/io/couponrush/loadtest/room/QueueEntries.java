package io.couponrush.loadtest.room;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A coupon's line as the database keeps it ({@code queue_entries}, read with plain SQL, not through the
 * service): who joined when, their place in the line's order (score) and when each was admitted.
 */
final class QueueEntries {

    /** One person of the line; times in epoch milliseconds, {@code admittedAt} -1 while never admitted. */
    record Entry(long userId, long joinedAt, double score, long admittedAt) {
    }

    private QueueEntries() {
    }

    static List<Entry> read(String jdbcUrl, long couponId) throws SQLException {
        try (var connection = DriverManager.getConnection(jdbcUrl, "root", "");
             var statement = connection.prepareStatement(
                     "SELECT user_id, joined_at, score, admitted_at FROM queue_entries WHERE coupon_id = ?")) {
            statement.setLong(1, couponId);
            statement.setFetchSize(10_000);
            var entries = new ArrayList<Entry>();
            try (var result = statement.executeQuery()) {
                while (result.next()) {
                    var admitted = result.getObject(4, LocalDateTime.class);
                    entries.add(new Entry(result.getLong(1), millis(result.getObject(2, LocalDateTime.class)),
                            result.getDouble(3), admitted == null ? -1 : millis(admitted)));
                }
            }
            return entries;
        }
    }

    /** The line's own order: by score (then user id, as the service breaks ties). */
    static List<Long> lineOrder(List<Entry> entries) {
        return entries.stream().sorted(Comparator.comparingDouble(Entry::score).thenComparing(e -> Long.toString(e.userId())))
                .map(Entry::userId).toList();
    }

    static Map<Long, Long> admittedAt(List<Entry> entries) {
        var at = new HashMap<Long, Long>();
        entries.stream().filter(e -> e.admittedAt() >= 0).forEach(e -> at.put(e.userId(), e.admittedAt()));
        return at;
    }

    private static long millis(LocalDateTime utc) {
        return utc.toInstant(ZoneOffset.UTC).toEpochMilli();
    }
}
