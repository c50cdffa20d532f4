package io.unwind.app.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.app.config.UnwindConfig;
import io.unwind.app.sim.LocalKeeperConfig;
import io.unwind.chain.vault.VaultReads;
import io.unwind.domain.chain.Address;
import io.unwind.engine.KeeperEvents;
import io.unwind.engine.TickResult;
import io.unwind.engine.VaultOutcome;
import io.unwind.local.LocalChain;
import io.unwind.local.MarketSpec;
import io.unwind.local.VaultSetup;
import io.unwind.testing.MarketFixture;
import io.unwind.testing.NodeTicks;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.utils.Numeric;

/**
 * A chain like Base, where the only Uniswap V3 router is SwapRouter02: the vault allows SwapRouter02's exactInputSingle
 * and nothing else. The keeper, configured with both V3 routers (one quoter), offers each tier through both; the
 * vault's allow-list leaves the SwapRouter02 venue, and the sale goes through it: the pool's Swap event names
 * SwapRouter02 as the caller, and the vault ends under its trigger.
 */
@Tag("chain")
class SwapRouter02KeeperTest {
    private static final int KEEPER = 3;
    private static final String POOL_SWAP =
            Hash.sha3String("Swap(address,address,int256,int256,uint160,uint128,int24)");

    @Test
    void aVaultThatAllowsOnlySwapRouter02IsDeleveragedThroughIt() throws Exception {
        try (MarketFixture f = new MarketFixture(MarketSpec.wethUsdc())) {
            Address router02 = f.market.swapRouter02();
            assertThat(router02).isNotNull();
            Address keeper = LocalChain.devSigner(KEEPER, f.chain.chainId()).address();
            // No Uniswap routes from the request: the owner allows SwapRouter02 alone.
            Address vault = f.vaults.open(
                    new VaultSetup.Request(
                            MarketFixture.OWNER,
                            new BigDecimal("10"),
                            new BigDecimal("0.75"),
                            Optional.of(MarketFixture.policy(8000, 7000)),
                            List.of(keeper),
                            BigDecimal.ZERO,
                            false),
                    f.price());
            f.vaults.allowSwapRouter02(MarketFixture.OWNER, vault);
            VaultReads reads = new VaultReads(f.client);
            assertThat(reads.isRouteAllowed(vault, router02, VaultSetup.V3_ROUTER02_EXACT_INPUT_SINGLE))
                    .isTrue();
            assertThat(reads.isRouteAllowed(vault, f.market.swapRouter(), VaultSetup.V3_EXACT_INPUT_SINGLE))
                    .isFalse();

            f.movePrice("2700"); // LTV 75% -> 83.3%, over the 80% trigger
            UnwindConfig local = LocalKeeperConfig.of(
                    f.chain,
                    f.market,
                    List.of(vault),
                    KEEPER,
                    "jdbc:h2:mem:unwind-router02-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1",
                    Optional.empty());
            UnwindConfig config = local.withContracts(local.contracts().withUniswapV3Router02(router02));
            assertThat(config.contracts().uniswapV3Router()).isPresent(); // both routers: the vault chooses

            VaultOutcome sent = null;
            try (KeeperNode node = new KeeperNode(
                    config, LocalChain.devSigner(KEEPER, f.chain.chainId()), Clock.systemUTC(), KeeperEvents.NONE)) {
                for (int i = 0; i < 6 && sent == null; i++) {
                    f.chain.mine(1);
                    TickResult r = NodeTicks.await(node, f.chain.blockNumber());
                    VaultOutcome o = r.outcomes().get(0);
                    if (o.kind() == VaultOutcome.Kind.SUBMITTED) sent = o;
                }
                assertThat(sent).as("the keeper acted").isNotNull();
                for (int i = 0; i < 6 && f.health(vault).overTrigger(); i++) {
                    f.chain.mine(1);
                    NodeTicks.await(node, f.chain.blockNumber());
                }
            }
            assertThat(sent.route())
                    .hasValueSatisfying(route -> assertThat(route).startsWith("uniswap-v3-02-3000"));

            // The transaction calls the vault's deleverage with SwapRouter02 as its router (the second argument).
            var tx = f.web3j
                    .ethGetTransactionByHash(sent.tx().orElseThrow().hex())
                    .send()
                    .getTransaction()
                    .orElseThrow();
            assertThat(Address.of(tx.getTo())).isEqualTo(vault);
            byte[] input = Numeric.hexStringToByteArray(tx.getInput());
            assertThat(Address.of(Numeric.toHexString(input, 4 + 32 + 12, 20, true)))
                    .isEqualTo(router02);
            // And SwapRouter02 itself swapped: the pool's Swap event names it as the caller.
            var receipt = f.web3j
                    .ethGetTransactionReceipt(sent.tx().orElseThrow().hex())
                    .send()
                    .getTransactionReceipt()
                    .orElseThrow();
            assertThat(receipt.isStatusOK()).isTrue();
            List<Log> swaps = receipt.getLogs().stream()
                    .filter(l -> l.getTopics().get(0).equals(POOL_SWAP))
                    .toList();
            assertThat(swaps).hasSize(1);
            assertThat(Address.of("0x" + swaps.get(0).getTopics().get(1).substring(26)))
                    .isEqualTo(router02);

            // On chain: from 83.3% to under the 80% trigger (the sale is capped by the vault's equity bound, so it
            // stops short of the 70% target), and not under the target.
            BigInteger ltv = f.health(vault).ltv();
            assertThat(ltv).isLessThan(new BigInteger("800000000000000000"));
            assertThat(ltv).isGreaterThanOrEqualTo(new BigInteger("700000000000000000"));
        }
    }
}
