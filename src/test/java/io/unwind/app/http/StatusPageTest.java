package io.unwind.app.http;

import static io.unwind.domain.testing.Fixtures.DAI;
import static io.unwind.domain.testing.Fixtures.USDC;
import static io.unwind.domain.testing.Fixtures.WBTC;
import static io.unwind.domain.testing.Fixtures.WETH;
import static io.unwind.domain.testing.Fixtures.vault;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.BlockRef;
import io.unwind.domain.chain.TxHash;
import io.unwind.domain.fee.Eip1559Fees;
import io.unwind.domain.money.Wei;
import io.unwind.domain.position.LendingProtocol;
import io.unwind.domain.tx.TxKind;
import io.unwind.store.Database;
import io.unwind.store.Journal;
import io.unwind.store.NewTx;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What the status page's API gives the page to show: states and kinds in words next to their names, each vault's
 * protocol, and each owner's vaults as one book.
 */
@Tag("pure")
class StatusPageTest {
    @Test
    void transactionsCarryTheirStateAndKindInWords() {
        try (Database db = Database.open(Database.inMemoryUrl("status-" + UUID.randomUUID()), "sa", "")) {
            Journal journal = new Journal(db.dataSource(), Clock.systemUTC());
            Address keeper = Address.of("0x" + "3".repeat(40));
            Address vault = Address.of("0x" + "4".repeat(40));
            journal.insert(new NewTx(
                    "sell:1",
                    31337,
                    keeper,
                    vault,
                    vault,
                    "0x00",
                    Wei.ZERO,
                    300_000,
                    new Eip1559Fees(Wei.gwei(2), Wei.gwei(1)),
                    TxKind.DELEVERAGE,
                    0.1,
                    Optional.of("sell 1.5 WETH via uniswap-v3-3000"),
                    OptionalLong.of(7)));
            StatusPage page = new StatusPage(new VaultHistory(10, 10, 10), journal, keeper, 31337, Clock.systemUTC());

            // As /api/status writes it.
            JsonNode txs =
                    new ObjectMapper().valueToTree(page.snapshot(Map.of())).get("transactions");
            assertThat(txs).hasSize(1);
            JsonNode t = txs.get(0);
            assertThat(t.get("state").asText()).isEqualTo("UNSTARTED");
            assertThat(t.get("stateText").asText()).isEqualTo("queued");
            assertThat(t.get("kind").asText()).isEqualTo("DELEVERAGE");
            assertThat(t.get("kindText").asText()).isEqualTo("sale");
            assertThat(t.get("from").asText()).as("the key that signed it").isEqualTo(keeper.hex());
            assertThat(new ObjectMapper().valueToTree(page.snapshot(Map.of())).has("cluster"))
                    .as("a single keeper has no cluster section")
                    .isFalse();

            // A cluster node's page: its id, what it ticked lately, and the registry's nodes as it last read them.
            page.withCluster(() -> new StatusJson.PageCluster(
                    "keeper-a",
                    4,
                    java.util.List.of(0, 2),
                    100,
                    java.util.List.of(
                            new StatusJson.PageNode("keeper-a", keeper.hex(), 99, true, 7L, java.util.List.of(0, 2)),
                            new StatusJson.PageNode(
                                    "keeper-b", "0x" + "5".repeat(40), 60, false, null, java.util.List.of()))));
            JsonNode cluster =
                    new ObjectMapper().valueToTree(page.snapshot(Map.of())).get("cluster");
            assertThat(cluster.get("nodeId").asText()).isEqualTo("keeper-a");
            assertThat(cluster.get("ticked").toString()).isEqualTo("[0,2]");
            assertThat(cluster.get("nodes")).hasSize(2);
            assertThat(cluster.get("nodes").get(1).get("alive").asBoolean()).isFalse();
            assertThat(cluster.get("nodes").get(1).get("lastBlock").isNull()).isTrue();
        }
    }

    @Test
    void eachOwnersVaultsAcrossProtocolsAreOneBookWithItsVaultClosestToLiquidation() {
        try (Database db = Database.open(Database.inMemoryUrl("status-" + UUID.randomUUID()), "sa", "")) {
            Address alice = Address.of("0x" + "a1".repeat(20));
            Address bob = Address.of("0x" + "b0".repeat(20));
            VaultHistory history = new VaultHistory(10, 10, 10);
            BlockRef block = new BlockRef(
                    7, new TxHash("0x" + "01".repeat(32)), new TxHash("0x" + "02".repeat(32)), Instant.EPOCH);
            // Alice: 10 WETH owing 22,800 USDC on Morpho (76% of 86%), 1 WBTC owing 30,000 USDC on Aave (50% of 78%)
            // with 1,000 USDC in reserve. Bob: 5 WETH owing 12,300 DAI on Aave (82% of 86%).
            Address aliceMorpho = Address.of("0x" + "11".repeat(20));
            Address aliceAave = Address.of("0x" + "12".repeat(20));
            Address bobAave = Address.of("0x" + "21".repeat(20));
            history.observed(
                    vault(WETH, USDC)
                            .address(aliceMorpho)
                            .owner(alice)
                            .protocol(LendingProtocol.MORPHO_BLUE)
                            .collateral("10")
                            .price("3000")
                            .ltvBps(7600)
                            .build(),
                    block);
            history.observed(
                    vault(WBTC, USDC)
                            .address(aliceAave)
                            .owner(alice)
                            .protocol(LendingProtocol.AAVE_V3)
                            .collateral("1")
                            .price("60000")
                            .ltvBps(5000)
                            .lltvBps(7800)
                            .reserve("1000")
                            .build(),
                    block);
            history.observed(
                    vault(WETH, DAI)
                            .address(bobAave)
                            .owner(bob)
                            .protocol(LendingProtocol.AAVE_V3)
                            .collateral("5")
                            .price("3000")
                            .ltvBps(8200)
                            .build(),
                    block);
            StatusPage page = new StatusPage(
                    history,
                    new Journal(db.dataSource(), Clock.systemUTC()),
                    Address.of("0x" + "3".repeat(40)),
                    31337,
                    Clock.systemUTC());

            JsonNode status = new ObjectMapper().valueToTree(page.snapshot(Map.of()));
            assertThat(status.get("vaults").findValuesAsText("protocol"))
                    .as("closest to liquidation first")
                    .containsExactly("aave-v3", "morpho-blue", "aave-v3");
            JsonNode books = status.get("portfolios");
            assertThat(books.findValuesAsText("owner"))
                    .as("the owner of the vault closest to liquidation first")
                    .containsExactly(bob.hex(), alice.hex());

            JsonNode a = books.get(1);
            assertThat(a.get("vaults").asInt()).isEqualTo(2);
            assertThat(a.get("protocols").toString()).isEqualTo("[\"morpho-blue\",\"aave-v3\"]");
            assertThat(a.get("totals")).hasSize(1);
            JsonNode usdc = a.get("totals").get(0);
            assertThat(usdc.get("quote").asText()).isEqualTo("USDC");
            assertThat(usdc.get("text").asText())
                    .isEqualTo("collateral 90,000 USDC, debt 52,800 USDC, reserves 1,000 USDC: equity 38,200 USDC");
            assertThat(usdc.get("equity").get("text").asText()).isEqualTo("38200");
            assertThat(usdc.get("equity").get("units").asText()).isEqualTo("38200000000");
            assertThat(usdc.get("vaults").asInt()).isEqualTo(2);
            assertThat(a.get("worst").asText()).isEqualTo(aliceMorpho.hex());
            assertThat(a.get("worstProtocol").asText()).isEqualTo("morpho-blue");
            assertThat(a.get("worstPair").asText()).isEqualTo("WETH/USDC");
            assertThat(a.get("worstLtvOfLltv").asDouble()).isCloseTo(0.76 / 0.86, within(1e-9));

            JsonNode b = books.get(0);
            assertThat(b.get("protocols").toString()).isEqualTo("[\"aave-v3\"]");
            assertThat(b.get("totals").get(0).get("text").asText())
                    .isEqualTo("collateral 15,000 DAI, debt 12,300 DAI, reserves 0 DAI: equity 2,700 DAI");
            assertThat(b.get("worst").asText()).isEqualTo(bobAave.hex());
            assertThat(b.get("worstLtvOfLltv").asDouble()).isCloseTo(0.82 / 0.86, within(1e-9));
        }
    }
}
