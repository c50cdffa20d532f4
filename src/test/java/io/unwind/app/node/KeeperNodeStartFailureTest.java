package io.unwind.app.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unwind.app.config.ConfigLoader;
import io.unwind.app.config.UnwindConfig;
import io.unwind.engine.KeeperEvents;
import io.unwind.tx.Signer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;

/**
 * A keeper whose start fails half-way (here: its status port is taken) closes what it had opened: no journal pool, RPC
 * client or scheduler thread is left running, and the journal can be opened again at once.
 */
@Tag("pure")
class KeeperNodeStartFailureTest {
    /** anvil's development account 0 (a public key pair); the chain id 31337 makes it acceptable to Signer. */
    private static final String DEV_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

    @Test
    void aTakenStatusPortFailsTheStartAndLeavesNothingOpen(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path file = dir.resolve("unwind.yaml");
            Files.writeString(file, """
                    chain: {id: 31337, endpoints: [{url: "http://127.0.0.1:9"}]}
                    contracts: {morpho: "0x0000000000000000000000000000000000000001",
                                lens: "0x0000000000000000000000000000000000000002",
                                uniswapV2Router: "0x0000000000000000000000000000000000000004"}
                    vaults: ["0x0000000000000000000000000000000000000003"]
                    keeper: {keystore: key.json, passwordEnv: KEY_PW}
                    http: {enabled: true, host: 127.0.0.1, port: %d}
                    """.formatted(taken.getLocalPort()));
            UnwindConfig config = ConfigLoader.load(file, Map.of());
            Signer signer = Signer.localDev(Credentials.create(DEV_KEY), 31337);
            Set<String> before = threadNames();

            assertThatThrownBy(() -> new KeeperNode(config, signer, Clock.systemUTC(), KeeperEvents.NONE))
                    .hasMessageContaining(String.valueOf(taken.getLocalPort()));

            Set<String> left = threadNames();
            left.removeAll(before);
            assertThat(left)
                    .as("threads the failed start left running")
                    .noneMatch(n -> n.contains("Hikari") || n.contains("Quartz") || n.contains("unwind"));
            // The journal's pool is closed: its embedded database accepts a new owner straight away.
            try (var c = DriverManager.getConnection(config.journal().url(), "", "")) {
                assertThat(c.isValid(1)).isTrue();
            }
        }
    }

    private static Set<String> threadNames() throws InterruptedException {
        Thread.sleep(200); // a pool's housekeeper stops asynchronously after close
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .collect(Collectors.toSet());
    }
}
