package io.couponrush.infra;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.Optional;

import io.couponrush.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The embedded run (a development setup: a root without password, a known JWT key) serves this
 * machine only, and its database checks who logs in.
 */
class EmbeddedServersIntegrationTest extends IntegrationTest {

    private Environment env;

    @BeforeEach
    void onlyForTheEmbeddedRun() {
        env = context.getBean(Environment.class);
        assumeTrue(env.getProperty("couponrush.embedded.active", Boolean.class, false),
                "the servers are configured, not embedded: nothing of the embedded run to check");
    }

    @Test
    void embeddedServersRefuseConnectionsToANonLoopbackAddress() {
        var address = nonLoopbackAddress();
        assumeTrue(address.isPresent(), "this machine has no non-loopback address to connect to");
        int mariaDb = port(env.getRequiredProperty("spring.datasource.url"));
        int redis = env.getRequiredProperty("spring.data.redis.port", Integer.class);
        int http = env.getRequiredProperty("local.server.port", Integer.class);

        for (int port : new int[] {mariaDb, redis, http}) {
            assertThat(connects(InetAddress.getLoopbackAddress(), port)).as("127.0.0.1:" + port).isTrue();
            assertThat(connects(address.get(), port)).as(address.get().getHostAddress() + ":" + port).isFalse();
        }
    }

    @Test
    void embeddedMariaDbChecksCredentials() throws SQLException {
        var url = env.getRequiredProperty("spring.datasource.url");

        assertThatThrownBy(() -> DriverManager.getConnection(url, "nobody", "guess").close())
                .isInstanceOf(SQLException.class).hasMessageContaining("Access denied");
        try (var root = DriverManager.getConnection(url, env.getProperty("spring.datasource.username"),
                env.getProperty("spring.datasource.password"))) {
            assertThat(root.isValid(1)).isTrue();
        }
    }

    private static int port(String jdbcUrl) {
        var hostAndPort = jdbcUrl.substring(jdbcUrl.indexOf("//") + 2, jdbcUrl.indexOf('/', jdbcUrl.indexOf("//") + 2));
        return Integer.parseInt(hostAndPort.substring(hostAndPort.lastIndexOf(':') + 1));
    }

    private static boolean connects(InetAddress address, int port) {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2_000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    /** An address of this machine other than loopback (IPv4 first), where a server bound to all interfaces answers. */
    private static Optional<InetAddress> nonLoopbackAddress() {
        try {
            return NetworkInterface.networkInterfaces()
                    .filter(NetworkInterfaceUp::test)
                    .flatMap(NetworkInterface::inetAddresses)
                    .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress() && !a.isAnyLocalAddress())
                    .min(Comparator.comparing(a -> a instanceof Inet4Address ? 0 : 1));
        } catch (SocketException e) {
            return Optional.empty();
        }
    }

    private interface NetworkInterfaceUp {
        static boolean test(NetworkInterface nic) {
            try {
                return nic.isUp() && !nic.isLoopback();
            } catch (SocketException e) {
                return false;
            }
        }
    }
}
