package io.couponrush.loadtest.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * The machine's MariaDB server on a datadir of its own, a free port and loopback only. Killed
 * with SIGKILL and started again on the same datadir it runs InnoDB crash recovery, which is the
 * point: the service must survive its database vanishing and coming back.
 */
public final class LocalMariaDb implements AutoCloseable {

    static final String DATABASE = "couponrush";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final LocalProcess process;
    private final FaultSettings settings;
    private final Path data;
    private final int port;
    private final Path log;

    /** Nothing runs yet: {@link #install()}, then {@link #start()}. */
    public LocalMariaDb(FaultSettings settings, Path home, int port, Path log) {
        this.settings = settings;
        this.data = home.resolve("data");
        this.port = port;
        this.log = log;
        this.process = new LocalProcess("MariaDB", List.of(
                settings.mariadbd().toString(),
                "--no-defaults",
                "--datadir=" + data,
                "--user=root", // the harness may run as root; mariadbd refuses that unless told
                "--bind-address=127.0.0.1",
                "--port=" + port,
                "--socket=" + home.resolve("mariadb.sock"),
                "--pid-file=" + home.resolve("mariadb.pid"),
                "--tmpdir=" + home,
                // Several instances' pools (32 each by default), their replacements and the harness.
                "--max-connections=1000",
                "--innodb-buffer-pool-size=256M"), log);
    }

    /** A fresh datadir with the system tables; root without a password, as the service is given it. */
    public void install() throws IOException, InterruptedException {
        Files.createDirectories(data.getParent());
        LocalProcess.runToCompletion(List.of(settings.mariadbInstallDb().toString(), "--no-defaults",
                "--datadir=" + data, "--user=root", "--auth-root-authentication-method=normal", "--skip-test-db"),
                log, 120);
    }

    /** The service's database, empty: its Flyway migrations make the tables. */
    public void createDatabase() throws SQLException {
        try (var connection = DriverManager.getConnection(serverUrl(), "root", "");
             var statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE IF NOT EXISTS " + DATABASE);
        }
    }

    /** Starts the server and waits until it accepts connections (after crash recovery, on a restart). */
    public void start() throws IOException, InterruptedException {
        process.start();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (true) {
            try (var connection = DriverManager.getConnection(serverUrl(), "root", "");
                 var statement = connection.createStatement()) {
                statement.execute("SELECT 1");
                return;
            } catch (SQLException notYet) {
                if (!process.alive()) {
                    throw new IOException("MariaDB exited while starting; log " + process.log() + ":\n"
                            + process.tail(30));
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("MariaDB did not accept connections within " + READY_TIMEOUT.toSeconds()
                            + " s; log " + process.log() + ":\n" + process.tail(30));
                }
                // another process starting up: nothing to wait on but time between attempts
                Thread.sleep(100);
            }
        }
    }

    void kill() throws InterruptedException {
        process.kill();
    }

    public boolean alive() {
        return process.alive();
    }

    public long pid() {
        return process.pid();
    }

    public int port() {
        return port;
    }

    /** The service's database, as the service is given it. */
    public String jdbcUrl() {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + DATABASE;
    }

    private String serverUrl() {
        return "jdbc:mariadb://127.0.0.1:" + port + "/?connectTimeout=1000&socketTimeout=5000";
    }

    public String version() {
        try (var connection = DriverManager.getConnection(serverUrl(), "root", "");
             var statement = connection.createStatement();
             var result = statement.executeQuery("SELECT VERSION()")) {
            return result.next() ? "MariaDB " + result.getString(1) : "MariaDB";
        } catch (SQLException e) {
            return "MariaDB (version unknown: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.stop(30);
    }
}
