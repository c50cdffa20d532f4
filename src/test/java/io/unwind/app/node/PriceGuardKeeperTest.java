package io.unwind.app.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.app.config.UnwindConfig;
import io.unwind.app.sim.LocalKeeperConfig;
import io.unwind.chain.vault.ContractCall;
import io.unwind.chain.vault.VaultCalls;
import io.unwind.domain.chain.Address;
import io.unwind.domain.position.Guard;
import io.unwind.domain.position.PriceStatus;
import io.unwind.engine.KeeperEvents;
import io.unwind.engine.TickResult;
import io.unwind.engine.VaultOutcome;
import io.unwind.local.LocalChain;
import io.unwind.local.MarketSpec;
import io.unwind.store.TxQuery;
import io.unwind.testing.MarketFixture;
import io.unwind.testing.NodeTicks;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.web3j.utils.Numeric;

/**
 * A vault whose owner set a price guard on the market's feed: while the feed is stuck (older than the guard's max age)
 * every keeper action would revert {@code PriceStale}, so a running keeper sends nothing and reports the vault held,
 * "price stale", with the feed's status and last update; once the feed publishes again it deleverages the vault.
 */
@Tag("chain")
class PriceGuardKeeperTest {
    private static final int KEEPER = 3;

    @Test
    void aStuckFeedHoldsTheKeeperAndAFreshOneLetsItSaveTheVault() throws Exception {
        try (MarketFixture f = new MarketFixture(MarketSpec.wethUsdc())) {
            Address keeper = LocalChain.devSigner(KEEPER, f.chain.chainId()).address();
            Address vault = f.vaults.open(
                    io.unwind.local.VaultSetup.Request.of(MarketFixture.OWNER, "10", "0.75")
                            .withPolicy(MarketFixture.policy(8000, 7000))
                            .withKeeper(keeper),
                    f.price());
            // The guard: the market's own feed, at most 60 s old (the market's oracle allows an hour).
            Guard guard = new Guard(f.market.feed(), Duration.ofSeconds(60), 0, Duration.ZERO, 0);
            ContractCall set = VaultCalls.setGuard(vault, guard);
            var owner = f.wallet(MarketFixture.OWNER);
            owner.call(set.to(), Numeric.toHexString(set.data()));
            owner.flush();

            f.movePrice("2700"); // LTV 75% -> 83.3%, over the 80% trigger; the feed publishes now
            f.chain.increaseTime(300); // and then nothing for five minutes: stuck
            f.chain.mine(1);
            var stuck = f.health(vault);
            assertThat(stuck.overTrigger()).isTrue();
            assertThat(stuck.guard().priceStatus()).isEqualTo(PriceStatus.STALE);

            UnwindConfig config = LocalKeeperConfig.of(
                    f.chain,
                    f.market,
                    List.of(vault),
                    KEEPER,
                    "jdbc:h2:mem:unwind-guard-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1",
                    Optional.of(0));
            try (KeeperNode node = new KeeperNode(
                    config, LocalChain.devSigner(KEEPER, f.chain.chainId()), Clock.systemUTC(), KeeperEvents.NONE)) {
                for (int i = 0; i < 2; i++) {
                    f.chain.mine(1);
                    TickResult r = NodeTicks.await(node, f.chain.blockNumber());
                    VaultOutcome o = r.outcomes().get(0);
                    assertThat(o.kind()).as(o.detail()).isEqualTo(VaultOutcome.Kind.HELD);
                    assertThat(o.detail())
                            .startsWith("price stale: LTV 83.3")
                            .contains(PriceStatus.STALE.describe())
                            .contains("feed last updated")
                            .contains("max age 60 s");
                }
                assertThat(node.journal().list(TxQuery.latest(10))).isEmpty();
                assertThat(io.unwind.app.cli.StatusCommand.keeperSays(
                                        "127.0.0.1", node.http().orElseThrow().port())
                                .get(vault.hex()))
                        .startsWith("held: price stale");

                // The feed publishes again: the keeper acts at the next block and the vault ends under its trigger.
                f.movePrice("2700");
                assertThat(f.health(vault).guard().priceStatus()).isEqualTo(PriceStatus.OK);
                // (the price move's own blocks already reach the keeper, which may act on them).
                for (int i = 0; i < 6 && f.health(vault).overTrigger(); i++) {
                    f.chain.mine(1);
                    NodeTicks.await(node, f.chain.blockNumber());
                }
                f.chain.mine(1);
                NodeTicks.await(node, f.chain.blockNumber());
                assertThat(node.journal().list(TxQuery.latest(10))).isNotEmpty();
            }
            assertThat(f.health(vault).overTrigger()).isFalse();
        }
    }
}
