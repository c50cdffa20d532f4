package io.unwind.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.app.sim.LocalKeeperConfig;
import io.unwind.domain.chain.Address;
import io.unwind.domain.position.Ltv;
import io.unwind.domain.tx.TxState;
import io.unwind.local.MarketSpec;
import io.unwind.store.Database;
import io.unwind.store.Journal;
import io.unwind.store.TxDetail;
import io.unwind.store.TxQuery;
import io.unwind.testing.MarketFixture;
import io.unwind.tx.CrashPoints;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Hash;

/**
 * Two vaults over their trigger; the keeper process dies right after the first action is sent, with the second vault's
 * action journaled but not yet signed. Before it is started again the first action is mined and the price comes back:
 * neither vault needs the keeper any more. The second action must not be signed or sent (the vault would revert it and
 * the keeper would pay for the gas); its journal row must say why it was given up, and the recovery log must say in
 * words what became of each transaction: the first was mined before the restart (not "resent"), the second abandoned.
 */
@Tag("chain")
@Tag("process")
class StalePlanRecoveryTest {
    private static final String DELEVERAGED =
            Hash.sha3String("Deleveraged(address,address,uint256,uint256,uint256,uint256,uint256,uint256)");
    private static final int KEEPER_ACCOUNT = 3;

    @TempDir
    Path tmp;

    @Test
    void anActionJournaledBeforeTheCrashIsAbandonedNotSentWhenItsVaultNoLongerNeedsIt() throws Exception {
        try (MarketFixture f = new MarketFixture(MarketSpec.wethUsdc()
                .withPools(List.of(
                        new MarketSpec.PoolSpec(MarketSpec.Dex.UNISWAP_V3, 3000, new BigDecimal("20000000")))))) {
            Address keeper = Address.of(MarketFixture.KEEPER.getAddress());
            Address a = f.openProtected("10", "0.75", MarketFixture.policy(8000, 7000));
            Address b = f.openProtected("10", "0.75", MarketFixture.policy(8000, 7000));
            f.chain.setAutomine(false);
            f.prices.noWait().moveTo(new BigDecimal("2700"));
            f.chain.mine(1);
            f.prices.settle();
            long start = f.chain.blockNumber();

            String journalUrl = Database.embeddedUrl(tmp.resolve("data"));
            Path config = tmp.resolve("unwind.yaml");
            Files.writeString(
                    config,
                    KeeperProcess.configYaml(LocalKeeperConfig.of(
                            f.chain, f.market, List.of(a, b), KEEPER_ACCOUNT, journalUrl, Optional.of(0))));

            // 1. The first vault's action is sent; the process dies once the second vault's is journaled, before it is
            // signed.
            try (KeeperProcess first =
                    KeeperProcess.start(config, tmp.resolve("keeper-1.log"), CrashPoints.TX_INSERTED + ":2", false)) {
                assertThat(first.awaitExit(Duration.ofSeconds(60)))
                        .as(first.tail(30))
                        .isTrue();
                assertThat(first.exitStatus()).as(first.tail(30)).hasValue(CrashPoints.HALT_STATUS);
                assertThat(first.output()).contains(" sent: ");
            }
            assertThat(f.client.nonce(keeper, true).longValueExact())
                    .as("one action in the pool")
                    .isEqualTo(1);

            // 2. While the keeper is down the first action is mined, and the price recovers: neither vault is over its
            // trigger.
            f.chain.mine(1);
            f.prices.noWait().moveTo(new BigDecimal("3000"));
            f.chain.mine(1);
            f.prices.settle();
            f.chain.mine(3);
            for (Address v : List.of(a, b)) assertThat(f.health(v).ltv()).isLessThan(Ltv.bpsToWad(8000));

            // 3. Restarted on the same journal, it recovers, ticks a few blocks, and is stopped.
            String log;
            try (KeeperProcess again = KeeperProcess.start(config, tmp.resolve("keeper-2.log"), null, false)) {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (true) {
                    Optional<Map<TxState, Long>> s = again.txStates();
                    if (s.isPresent()
                            && Stream.of(TxState.UNSTARTED, TxState.IN_PROGRESS, TxState.UNCONFIRMED)
                                    .allMatch(x -> s.get().getOrDefault(x, 0L) == 0)) {
                        break;
                    }
                    assertThat(again.alive()).as(again.tail(30)).isTrue();
                    assertThat(System.nanoTime())
                            .as("settled in time: %s", again.tail(30))
                            .isLessThan(deadline);
                    Thread.sleep(100);
                }
                f.chain.mine(3);
                Thread.sleep(1_000);
                again.stop();
                log = again.output();
            }
            log.lines()
                    .filter(l -> l.contains("journal recovery") || l.contains("abandoned"))
                    .forEach(l -> System.out.println("StalePlanRecoveryTest: " + l));

            assertThat(f.client.nonce(keeper, false).longValueExact())
                    .as("only the first action was ever signed: %s", log)
                    .isEqualTo(1);
            assertThat(f.client.nonce(keeper, true).longValueExact())
                    .as("nothing in the pool")
                    .isEqualTo(1);
            assertThat(f.client.logs(List.of(a, b), List.of(DELEVERAGED), start, f.chain.blockNumber()))
                    .hasSize(1);

            try (Database db = Database.open(journalUrl, "", "")) {
                Journal j = new Journal(db.dataSource(), Clock.systemUTC());
                List<TxDetail> txs = j.list(TxQuery.latest(10)).stream()
                        .map(t -> j.detail(t.id()).orElseThrow())
                        .sorted(Comparator.comparingLong(d -> d.tx().id()))
                        .toList();
                assertThat(txs).as("%s", txs).hasSize(2);
                TxDetail sent = txs.get(0);
                TxDetail stale = txs.get(1);
                assertThat(sent.tx().state()).isIn(TxState.CONFIRMED, TxState.FINALIZED);
                assertThat(sent.tx().confirmation().orElseThrow().succeeded()).isTrue();
                assertThat(stale.tx().state()).isEqualTo(TxState.FATAL_ERROR);
                assertThat(stale.attempts()).as("never signed").isEmpty();
                assertThat(stale.tx().error())
                        .hasValueSatisfying(e -> assertThat(e)
                                .startsWith("abandoned before signing: ")
                                .contains("the vault is no longer over its trigger"));

                assertThat(log)
                        .as("what recovery did with the mined action")
                        .containsPattern(
                                "journal recovery: tx#" + sent.tx().id()
                                        + " \\(sell .*\\): already mined: attempt 1 in block \\d+ before the restart; not sent again");
                assertThat(log)
                        .as("what recovery did with the stale action")
                        .containsPattern(
                                "journal recovery: tx#" + stale.tx().id()
                                        + " \\(sell .*\\): abandoned, never signed or sent: the vault is no longer over its trigger");
                assertThat(log).doesNotContain("RESENT").doesNotContain("Change[");
            }
        }
    }
}
