package io.unwind.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.unwind.domain.chain.Address;
import io.unwind.domain.fee.Eip1559Fees;
import io.unwind.domain.money.Wei;
import io.unwind.domain.tx.TxKind;
import io.unwind.store.Database;
import io.unwind.store.Journal;
import io.unwind.store.NewTx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the operator of a cluster reads from the commands: {@code config check} shows the cluster section as the node
 * will run it and names a journal password variable that is not set (instead of the database's authentication error),
 * and {@code tx list} says which key, and so which node, signed each transaction.
 */
@Tag("pure")
class ClusterCommandsTest {
    private static final String CHAIN_AND_KEY = """
            chain: {id: 31337, endpoints: [{url: "http://127.0.0.1:1"}]}
            contracts: {morpho: "0x0000000000000000000000000000000000000001", lens: "0x0000000000000000000000000000000000000002"}
            vaults: ["0x0000000000000000000000000000000000000003"]
            keeper: {devAccount: 3}
            """;
    /** A variable no environment sets. */
    private static final String UNSET = "UNWIND_TEST_CLUSTER_JOURNAL_PASSWORD_NEVER_SET";

    @TempDir
    Path dir;

    private String clusterConfig(String passwordEnv) throws IOException {
        return Files.writeString(dir.resolve("keeper-a.yaml"), CHAIN_AND_KEY + """
                                journal:
                                  url: "jdbc:postgresql://db.internal:5432/unwind?ssl=true&password=hunter2"
                                  user: unwind
                                  passwordEnv: %s
                                cluster: {enabled: true, nodeId: keeper-a, partitions: 12, checkinInterval: 2s}
                                """.formatted(passwordEnv))
                .toString();
    }

    @Test
    void configCheckNamesAnUnsetJournalPasswordVariableOfflineAndOnline() throws IOException {
        String config = clusterConfig(UNSET);
        for (String[] args : new String[][] {
            {"config", "check", "--config", config}, {"config", "check", "--config", config, "--online"}
        }) {
            Unwind.Run r = Unwind.run(args);
            assertThat(r.exit()).as("%s", r).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err())
                    .contains("invalid configuration: journal.passwordEnv: the environment variable " + UNSET
                            + " is not set")
                    .doesNotContainIgnoringCase("SCRAM")
                    .doesNotContain("hunter2");
            assertThat(r.out()).doesNotContain("configuration ok");
        }
    }

    @Test
    void configCheckShowsTheClusterSectionWithTheJournalPasswordRedacted() throws IOException {
        // PATH is set in every environment: it stands for a password variable that is set (nothing connects offline).
        String config = clusterConfig("PATH");
        Unwind.Run r = Unwind.run("config", "check", "--config", config);
        assertThat(r.exit()).as("%s", r).isZero();
        assertThat(r.out())
                .contains("configuration ok")
                .containsPattern("cluster +\\{nodeId=keeper-a, partitions=12, tickInterval=1s, checkinInterval=2s,"
                        + " deadAfter=6s}")
                .contains("jdbc:postgresql://db.internal:5432/unwind?ssl=true&password=***")
                .doesNotContain("hunter2")
                .doesNotContain(System.getenv("PATH"));

        JsonNode json =
                Unwind.run("config", "check", "--config", config, "--json").json();
        assertThat(json.get("cluster").get("nodeId").asText()).isEqualTo("keeper-a");
        assertThat(json.get("cluster").get("partitions").asInt()).isEqualTo(12);
        assertThat(json.get("cluster").get("deadAfter").asText()).isEqualTo("6s");

        // Without cluster mode there is no section; without a node id, the default is said as what it will be.
        String single =
                Files.writeString(dir.resolve("single.yaml"), CHAIN_AND_KEY).toString();
        assertThat(Unwind.run("config", "check", "--config", single, "--json")
                        .json()
                        .has("cluster"))
                .isFalse();
        String noId = Files.writeString(dir.resolve("no-id.yaml"), CHAIN_AND_KEY + """
                                journal: {url: "jdbc:postgresql://db.internal:5432/unwind", passwordEnv: PATH}
                                cluster: {enabled: true}
                                """)
                .toString();
        assertThat(Unwind.run("config", "check", "--config", noId, "--json")
                        .json()
                        .get("cluster")
                        .get("nodeId")
                        .asText())
                .endsWith("-PID (the default: this host's name and the node's process id; set cluster.nodeId to keep"
                        + " one id across restarts)");
    }

    @Test
    void txListSaysWhichKeySignedEachTransaction() throws IOException {
        Path journalDir = dir.resolve("data");
        String url = "jdbc:h2:file:" + journalDir.resolve("journal") + ";AUTO_SERVER=TRUE";
        Address nodeA = Address.of("0x90f79bf6eb2c4f870365e785982e1f101e93b906");
        Address nodeB = Address.of("0x976ea74026e726554db657fa54763abd0c3a0aa9");
        try (Database db = Database.open(url, "", "")) {
            Journal journal = new Journal(db.dataSource(), Clock.systemUTC());
            journal.insert(tx("sell:a", nodeA, Address.of("0x" + "4".repeat(40))));
            journal.insert(tx("sell:b", nodeB, Address.of("0x" + "5".repeat(40))));
        }
        String config = Files.writeString(
                        dir.resolve("keeper.yaml"), CHAIN_AND_KEY + "journal: {url: \"" + url + "\"}\n")
                .toString();

        Unwind.Run r = Unwind.run("tx", "list", "--config", config);
        assertThat(r.exit()).as("%s", r).isZero();
        String header = r.out().lines().findFirst().orElseThrow();
        assertThat(header).containsPattern("VAULT +SENDER +NONCE");
        assertThat(r.out().lines().filter(l -> l.contains(nodeA.shortForm())))
                .singleElement()
                .asString()
                .contains(Address.of("0x" + "4".repeat(40)).shortForm());
        assertThat(r.out().lines().filter(l -> l.contains(nodeB.shortForm())))
                .singleElement()
                .asString()
                .contains(Address.of("0x" + "5".repeat(40)).shortForm());

        JsonNode json = Unwind.run("tx", "list", "--config", config, "--json").json();
        assertThat(json).extracting(t -> t.get("from").asText()).containsExactlyInAnyOrder(nodeA.hex(), nodeB.hex());
    }

    private static NewTx tx(String key, Address from, Address vault) {
        return new NewTx(
                key,
                31337,
                from,
                vault,
                vault,
                "0x00",
                Wei.ZERO,
                300_000,
                new Eip1559Fees(Wei.gwei(2), Wei.gwei(1)),
                TxKind.DELEVERAGE,
                0.1,
                Optional.of("sell 1.5 WETH via uniswap-v3-3000"),
                OptionalLong.of(7));
    }
}
