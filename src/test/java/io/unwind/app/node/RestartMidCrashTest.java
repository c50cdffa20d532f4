package io.unwind.app.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.app.sim.LocalKeeperConfig;
import io.unwind.domain.chain.Address;
import io.unwind.domain.position.Ltv;
import io.unwind.domain.tx.TxState;
import io.unwind.engine.KeeperEvents;
import io.unwind.engine.TickResult;
import io.unwind.engine.VaultOutcome;
import io.unwind.local.LocalChain;
import io.unwind.local.MarketSpec;
import io.unwind.store.TxQuery;
import io.unwind.testing.MarketFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;

/**
 * The keeper process stops after it has signed and broadcast an action and before the action is mined; a new process on
 * the same journal must not send it again, must see it confirmed, and must go on protecting the vault: every action on
 * chain is in the journal once, none twice.
 */
@Tag("chain")
class RestartMidCrashTest {
    private static final String DELEVERAGED =
            Hash.sha3String("Deleveraged(address,address,uint256,uint256,uint256,uint256,uint256,uint256)");
    private static final int KEEPER = 3;

    @Test
    void aRestartBetweenBroadcastAndInclusionNeitherLosesNorRepeatsTheAction() throws Exception {
        Path dir = Files.createTempDirectory("unwind-restart");
        String journal = "jdbc:h2:file:" + dir.resolve("journal") + ";AUTO_SERVER=FALSE";
        try (MarketFixture f = new MarketFixture(MarketSpec.wethUsdc()
                .withPools(List.of(new MarketSpec.PoolSpec(
                        MarketSpec.Dex.UNISWAP_V3, 3000, new java.math.BigDecimal("20000000")))))) {
            Address keeper = LocalChain.devSigner(KEEPER, f.chain.chainId()).address();
            Address vault = f.vaults.open(
                    io.unwind.local.VaultSetup.Request.of(MarketFixture.OWNER, "10", "0.75")
                            .withPolicy(MarketFixture.policy(8000, 7000))
                            .withKeeper(keeper),
                    f.price());
            var config = LocalKeeperConfig.of(f.chain, f.market, List.of(vault), KEEPER, journal, Optional.empty());

            // 1. The first process sees the crash and sends a sale; nothing is mined yet.
            f.chain.setAutomine(false);
            f.prices.noWait().moveTo(new java.math.BigDecimal("2700"));
            f.chain.mine(1);
            f.prices.settle();
            long crashBlock = f.chain.blockNumber();
            String sentHash;
            try (KeeperNode first = new KeeperNode(
                    config, LocalChain.devSigner(KEEPER, f.chain.chainId()), Clock.systemUTC(), KeeperEvents.NONE)) {
                TickResult r = awaitTick(first, crashBlock);
                assertThat(r.of(VaultOutcome.Kind.SUBMITTED)).hasSize(1);
                sentHash = r.of(VaultOutcome.Kind.SUBMITTED)
                        .get(0)
                        .tx()
                        .orElseThrow()
                        .hex();
                assertThat(first.journal().list(TxQuery.latest(100)))
                        .singleElement()
                        .satisfies(t -> assertThat(t.state()).isEqualTo(TxState.UNCONFIRMED));
            } // the process is gone: its transaction is only in the mempool and in the journal
            assertThat(f.chain.rpc("txpool_status").get("pending").asText()).isEqualTo("0x1");

            // 2. A new process on the same journal: it rebroadcasts the saved bytes and sends nothing new.
            try (KeeperNode second = new KeeperNode(
                    config, LocalChain.devSigner(KEEPER, f.chain.chainId()), Clock.systemUTC(), KeeperEvents.NONE)) {
                TickResult r = awaitTick(second, crashBlock);
                assertThat(r.of(VaultOutcome.Kind.SUBMITTED)).isEmpty();
                assertThat(r.of(VaultOutcome.Kind.IN_FLIGHT)).hasSize(1);
                assertThat(f.chain.rpc("txpool_status").get("pending").asText()).isEqualTo("0x1");

                f.chain.mine(1);
                awaitTick(second, crashBlock + 1);
                assertThat(second.journal().list(TxQuery.latest(100)))
                        .singleElement()
                        .satisfies(t -> assertThat(t.state()).isEqualTo(TxState.CONFIRMED));
                assertThat(f.health(vault).ltv()).isLessThan(Ltv.bpsToWad(8000));

                // 3. The crash goes on: the new process acts again, once.
                f.prices.moveTo(new java.math.BigDecimal("2350"));
                f.chain.mine(1);
                f.prices.settle();
                TickResult again = awaitTick(second, f.chain.blockNumber());
                assertThat(again.of(VaultOutcome.Kind.SUBMITTED)).hasSize(1);
                f.chain.mine(1);
                awaitTick(second, f.chain.blockNumber());
                var txs = second.journal().list(TxQuery.latest(100));
                assertThat(txs)
                        .hasSize(2)
                        .allSatisfy(t -> assertThat(t.state()).isIn(TxState.CONFIRMED, TxState.FINALIZED));
                assertThat(txs).extracting(t -> t.nonce().getAsLong()).containsExactlyInAnyOrder(0L, 1L);
            }
            var events = f.client.logs(List.of(vault), List.of(DELEVERAGED), 0, f.chain.blockNumber());
            assertThat(events).hasSize(2);
            assertThat(events.get(0).txHash().hex()).isEqualTo(sentHash);
            assertThat(f.client.nonce(keeper, false)).isEqualTo(java.math.BigInteger.TWO);
        }
    }

    private static TickResult awaitTick(KeeperNode node, long block) throws InterruptedException {
        return io.unwind.testing.NodeTicks.await(node, block);
    }
}
