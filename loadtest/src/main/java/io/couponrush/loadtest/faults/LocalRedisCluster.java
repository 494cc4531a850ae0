package io.couponrush.loadtest.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import io.couponrush.loadtest.ServiceProcess;

/**
 * A Redis Cluster of the machine's {@code redis-server} processes, masters only, loopback only, no persistence:
 * a master killed and started again comes back empty but with its slots (its {@code nodes.conf} stays), as a
 * shard whose cache was lost. The others keep serving their slots meanwhile
 * ({@code cluster-require-full-coverage no}) and notice the death within a second.
 */
final class LocalRedisCluster implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final List<LocalRedis> masters = new ArrayList<>();
    private final Path cli;

    LocalRedisCluster(FaultSettings settings, Path home, Path logs, int count) throws IOException {
        this.cli = settings.redisServer().resolveSibling("redis-cli");
        for (int i = 0; i < count; i++) {
            int port = ServiceProcess.freePort();
            var dir = Files.createDirectories(home.resolve("redis-" + port));
            masters.add(new LocalRedis(settings, dir, port, logs.resolve("redis-" + port + ".log"),
                    List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                            "--cluster-require-full-coverage", "no", "--cluster-node-timeout", "1000")));
        }
    }

    /** Starts every master, joins them into one cluster (slots spread evenly, in port order) and waits until it is whole. */
    void start() throws IOException, InterruptedException {
        for (var master : masters) {
            master.start();
        }
        var create = new ArrayList<>(List.of(cli.toString(), "--cluster", "create"));
        masters.forEach(master -> create.add("127.0.0.1:" + master.port()));
        create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        var output = run(create);
        if (!output.contains("[OK] All 16384 slots covered")) {
            throw new IOException("redis-cli --cluster create did not cover the slots:\n" + output);
        }
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        for (var master : masters) {
            while (!run(List.of(cli.toString(), "-p", Integer.toString(master.port()), "cluster", "info"))
                    .contains("cluster_state:ok")) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("the Redis Cluster was not whole within " + READY_TIMEOUT.toSeconds() + " s");
                }
                Thread.sleep(50); // the masters gossiping their way to one view: nothing to wait on but time
            }
        }
    }

    /** The first master: it holds slots 0–5460 of three, so the first sub-gate of a coupon of three. */
    LocalRedis first() {
        return masters.getFirst();
    }

    List<LocalRedis> masters() {
        return masters;
    }

    /** {@code SPRING_DATA_REDIS_CLUSTER_NODES}. */
    String nodes() {
        return masters.stream().map(master -> "127.0.0.1:" + master.port()).collect(Collectors.joining(","));
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return output;
    }

    @Override
    public void close() {
        masters.forEach(LocalRedis::close);
    }
}
