package io.unwind.app.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.app.config.UnwindConfig;
import io.unwind.app.sim.LocalKeeperConfig;
import io.unwind.domain.chain.Address;
import io.unwind.domain.money.Wei;
import io.unwind.engine.KeeperEvents;
import io.unwind.engine.TickResult;
import io.unwind.engine.VaultOutcome;
import io.unwind.local.LocalChain;
import io.unwind.local.MarketSpec;
import io.unwind.store.TxQuery;
import io.unwind.testing.MarketFixture;
import io.unwind.testing.NodeTicks;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A dust vault over its trigger while gas costs 100 gwei: its fee (0.1% of a few USDC) cannot pay for an action (tens
 * of USDC of gas), so a keeper that does not protect it at its own cost holds it and spends nothing on it; the same
 * vault on strategy.protectAtOwnCost is deleveraged all the same.
 */
@Tag("chain")
class EconomicFloorTest {
    private static final int KEEPER = 3;
    private static final Wei HUNDRED_GWEI = Wei.gwei(100);

    @Test
    void aDustVaultIsHeldAtNoCostUnlessTheOperatorProtectsItAtItsOwnCost() throws Exception {
        try (MarketFixture f = new MarketFixture(MarketSpec.wethUsdc())) {
            Address keeper = LocalChain.devSigner(KEEPER, f.chain.chainId()).address();
            Address dust = f.vaults.open(
                    io.unwind.local.VaultSetup.Request.of(MarketFixture.OWNER, "0.01", "0.75")
                            .withPolicy(MarketFixture.policy(8000, 7000))
                            .withKeeper(keeper),
                    f.price());
            f.chain.setNextBlockBaseFee(HUNDRED_GWEI);
            f.movePrice("2700"); // LTV 75% -> 83.3%: over the 80% trigger
            assertThat(f.health(dust).overTrigger()).isTrue();

            // Not on the list (an explicit empty one: by default the config's vaults list would protect it).
            UnwindConfig floor = config(f, dust, "floor").withProtectAtOwnCost(List.of());
            Wei before = f.client.balance(keeper);
            try (KeeperNode node = new KeeperNode(
                    floor, LocalChain.devSigner(KEEPER, f.chain.chainId()), Clock.systemUTC(), KeeperEvents.NONE)) {
                for (int i = 0; i < 3; i++) {
                    f.chain.setNextBlockBaseFee(HUNDRED_GWEI);
                    f.chain.mine(1);
                    TickResult r = NodeTicks.await(node, f.chain.blockNumber());
                    VaultOutcome o = r.outcomes().get(0);
                    assertThat(o.kind()).as(o.detail()).isEqualTo(VaultOutcome.Kind.HELD);
                    assertThat(o.detail())
                            .startsWith("too small to pay for its gas")
                            .contains("gwei")
                            .contains("strategy.protectAtOwnCost");
                }
                assertThat(node.journal().list(TxQuery.latest(10))).isEmpty();
                // What `unwind status` prints under its table for a vault over its trigger: the node's reason, in
                // words.
                assertThat(io.unwind.app.cli.StatusCommand.keeperSays(
                                        "127.0.0.1", node.http().orElseThrow().port())
                                .get(dust.hex()))
                        .startsWith("held: too small to pay for its gas: LTV 83.33% >= trigger 80.00%, but repaying")
                        .contains(
                                "an action costs the keeper about",
                                "USDC of gas (150000 gas at",
                                "strategy.protectAtOwnCost");
            }
            assertThat(f.client.balance(keeper)).isEqualTo(before);
            assertThat(f.health(dust).overTrigger()).isTrue();

            // The operator's own vault: protected whatever its gas costs.
            UnwindConfig own = config(f, dust, "own").withProtectAtOwnCost(List.of(dust));
            try (KeeperNode node = new KeeperNode(
                    own, LocalChain.devSigner(KEEPER, f.chain.chainId()), Clock.systemUTC(), KeeperEvents.NONE)) {
                f.chain.setNextBlockBaseFee(HUNDRED_GWEI);
                f.chain.mine(1);
                TickResult r = NodeTicks.await(node, f.chain.blockNumber());
                VaultOutcome o = r.outcomes().get(0);
                assertThat(o.kind()).as(o.detail()).isEqualTo(VaultOutcome.Kind.SUBMITTED);
                f.chain.setNextBlockBaseFee(HUNDRED_GWEI);
                f.chain.mine(1);
                NodeTicks.await(node, f.chain.blockNumber());
                assertThat(node.journal().list(TxQuery.latest(10))).hasSize(1);
            }
            assertThat(f.health(dust).overTrigger()).isFalse();
            assertThat(f.client.balance(keeper)).isLessThan(before);
        }
    }

    /** The local keeper config with gas caps above 100 gwei, so that only the floor can hold the vault. */
    private static UnwindConfig config(MarketFixture f, Address vault, String name) {
        UnwindConfig c = LocalKeeperConfig.of(
                f.chain,
                f.market,
                List.of(vault),
                KEEPER,
                "jdbc:h2:mem:unwind-floor-" + name + "-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1",
                Optional.of(0));
        return new UnwindConfig(
                c.chain(),
                c.contracts(),
                c.vaults(),
                c.keeper(),
                c.strategy(),
                c.routing(),
                new UnwindConfig.Gas(new BigDecimal("2000"), new BigDecimal("2000"), 20, 3, Map.of()),
                c.journal(),
                c.scheduler(),
                c.http(),
                c.aggregators(),
                c.cluster());
    }
}
