package io.couponrush.loadtest.costs;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * MariaDB's {@code SHOW GLOBAL STATUS}, the counters that say what the service asked of the database.
 * {@code Questions} counts every statement a client sent (a {@code COMMIT} and a {@code SET} too); the
 * harness's own {@code SHOW GLOBAL STATUS} is one of them and is left out of {@link #statements()}.
 */
public record DatabaseCounters(Map<String, Long> values) {

    /** What is kept; everything else the server reports is not needed for the cost of a request. */
    public static final List<String> NAMES = List.of("Questions", "Com_select", "Com_insert", "Com_update",
            "Com_delete", "Com_commit", "Com_rollback", "Com_begin", "Com_set_option", "Com_show_status",
            "Innodb_rows_read", "Innodb_rows_inserted", "Innodb_rows_updated", "Innodb_rows_deleted",
            "Innodb_os_log_fsyncs", "Innodb_data_fsyncs", "Bytes_received", "Bytes_sent");

    public static final DatabaseCounters NONE = new DatabaseCounters(Map.of());

    public DatabaseCounters {
        values = new TreeMap<>(values);
    }

    public static DatabaseCounters read(Connection connection) throws SQLException {
        var values = new TreeMap<String, Long>();
        try (var statement = connection.createStatement();
             var result = statement.executeQuery("SHOW GLOBAL STATUS")) {
            while (result.next()) {
                var name = result.getString(1);
                if (NAMES.contains(name)) {
                    try {
                        values.put(name, Long.parseLong(result.getString(2)));
                    } catch (NumberFormatException notACount) {
                        // not a counter on this server version
                    }
                }
            }
        }
        return new DatabaseCounters(values);
    }

    public long get(String name) {
        return values.getOrDefault(name, 0L);
    }

    /** Statements the service sent: {@code Questions} without the harness's {@code SHOW STATUS}. */
    public long statements() {
        return Math.max(0, get("Questions") - get("Com_show_status"));
    }

    public DatabaseCounters minus(DatabaseCounters before) {
        var diff = new TreeMap<String, Long>();
        values.forEach((name, value) -> diff.put(name, value - before.get(name)));
        return new DatabaseCounters(diff);
    }

    DatabaseCounters scaled(double factor) {
        var map = new TreeMap<String, Long>();
        values.forEach((name, value) -> map.put(name, Math.round(value * factor)));
        return new DatabaseCounters(map);
    }

    DatabaseCounters less(DatabaseCounters background) {
        var map = new TreeMap<String, Long>();
        values.forEach((name, value) -> map.put(name, Math.max(0, value - background.get(name))));
        return new DatabaseCounters(map);
    }
}
