package io.unwind.app.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.chain.Receipt;
import io.unwind.domain.chain.Address;
import io.unwind.domain.position.Ltv;
import io.unwind.domain.position.VaultHealth;
import io.unwind.domain.tx.TxState;
import io.unwind.local.LocalChain;
import io.unwind.local.MarketSpec;
import io.unwind.local.VaultSetup;
import io.unwind.store.AttemptRecord;
import io.unwind.store.Database;
import io.unwind.store.Journal;
import io.unwind.store.KeeperNodes;
import io.unwind.store.TxRecord;
import io.unwind.testing.ClusterNodes;
import io.unwind.testing.MarketFixture;
import io.unwind.testing.PrivatePostgres;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;

/**
 * Two keeper processes in cluster mode, each with its own key, share a PostgreSQL journal; the PostgreSQL server (one
 * of the test's own) is stopped with {@code pg_ctl -m fast} as the price crashes and started again a few seconds later.
 * While it is down nothing may be sent (nothing can be journaled); once it is back, without restarting either node,
 * every vault must be saved by exactly one action, every action journaled under the key that sent it, and both nodes
 * must heartbeat again.
 */
@Tag("chain")
@Tag("process")
@Tag("postgres")
class ClusterRestartMidCrashTest {
    private static final String DELEVERAGED =
            Hash.sha3String("Deleveraged(address,address,uint256,uint256,uint256,uint256,uint256,uint256)");
    private static final int[] DEV_ACCOUNTS = {3, 6};
    private static final String[] NODE_IDS = {"node-a", "node-b"};
    private static final int VAULTS = 8;
    private static final int PARTITIONS = 4;
    private static final int TRIGGER_BPS = 8000;
    private static final Duration CHECKIN = Duration.ofSeconds(2);
    private static final Duration DOWN = Duration.ofSeconds(5);
    /** Vaults open at 73% to 75% LTV at 3000 and are at 81.7% to 84% at 2680 (trigger 80%, LLTV 86%). */
    private static final String CRASH = "2680";

    /** The nodes that should be running: one that exits on its own fails the test at once, with the logs. */
    private final List<Process> running = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Test
    @SuppressWarnings("try") // stopNodes is a resource for its place in the closing order, not to be used
    void bothNodesComeThroughAServerRestartMidCrashAndEveryVaultIsSavedOnce() throws Exception {
        Path dir = Files.createTempDirectory("unwind-cluster-restart");
        List<Process> processes = new ArrayList<>();
        try (PrivatePostgres pg = PrivatePostgres.start();
                Database db = Database.open(pg.url(), pg.user(), pg.password()); // migrated once, before the nodes
                MarketFixture f = new MarketFixture(MarketSpec.wethUsdc()
                        .withPools(List.of(new MarketSpec.PoolSpec(
                                MarketSpec.Dex.UNISWAP_V3, 3000, new BigDecimal("200000000")))));
                // Declared last, closed first: the nodes stop before their chain and database go away.
                AutoCloseable stopNodes = () -> {
                    for (Process p : processes) p.destroyForcibly().waitFor();
                }) {
            List<Address> keepers = new ArrayList<>();
            for (int a : DEV_ACCOUNTS)
                keepers.add(LocalChain.devSigner(a, f.chain.chainId()).address());
            List<VaultSetup.Request> requests = new ArrayList<>();
            for (int i = 0; i < VAULTS; i++) {
                var r = VaultSetup.Request.of(MarketFixture.OWNER, "4", "0." + (73 + i % 3))
                        .withPolicy(MarketFixture.policy(TRIGGER_BPS, 7000));
                for (Address k : keepers) r = r.withKeeper(k);
                requests.add(r);
            }
            List<Address> vaults = f.vaults.openAll(requests, f.price());
            for (int n = 0; n < NODE_IDS.length; n++) {
                Path config = dir.resolve(NODE_IDS[n] + ".yaml");
                Files.writeString(config, config(f, vaults, pg, DEV_ACCOUNTS[n], NODE_IDS[n]));
                processes.add(start(config, dir.resolve(NODE_IDS[n] + ".log"), pg));
                running.add(processes.get(n));
            }
            KeeperNodes registry = new KeeperNodes(db.dataSource(), Clock.systemUTC());
            Journal journal = new Journal(db.dataSource(), Clock.systemUTC());
            await("both nodes check in", Duration.ofSeconds(90), dir, () -> liveNodes(registry, f) == 2);

            pg.stop();
            long from = f.chain.blockNumber() + 1;
            f.movePrice(CRASH);
            assertThat(overTrigger(f, vaults))
                    .as("every vault over its trigger")
                    .hasSize(VAULTS);
            long downUntil = System.nanoTime() + DOWN.toNanos();
            while (System.nanoTime() < downUntil) { // the chain goes on while the database is down
                f.chain.mine(1);
                Thread.sleep(500);
            }
            assertThat(deleveraged(f, vaults, from))
                    .as("nothing is sent while it cannot be journaled")
                    .isEmpty();
            pg.up();
            long back = System.nanoTime();
            java.time.Instant backAt = java.time.Instant.now();

            await("every vault under its trigger after the restart", Duration.ofSeconds(90), dir, () -> {
                f.chain.mine(1);
                return overTrigger(f, vaults).isEmpty();
            });
            long savedAfterMs = (System.nanoTime() - back) / 1_000_000;
            await("both nodes heartbeat again", Duration.ofSeconds(30), dir, () -> seenSince(registry, f, backAt) == 2);
            long heartbeatAfterMs = (System.nanoTime() - back) / 1_000_000;

            // Each vault saved exactly once, never at its LLTV.
            List<Receipt.LogEntry> events = deleveraged(f, vaults, from);
            Map<Address, Long> perVault =
                    events.stream().collect(Collectors.groupingBy(Receipt.LogEntry::address, Collectors.counting()));
            assertThat(perVault)
                    .as("deleverages per vault")
                    .hasSize(VAULTS)
                    .allSatisfy((v, n) -> assertThat(n).isEqualTo(1L));
            for (Address v : vaults) {
                VaultHealth h = f.health(v);
                assertThat(h.ltv()).as("vault %s", v).isLessThan(h.lltv());
            }
            // Every action is one journal row of the key that sent it; no row the chain does not know.
            Set<Long> txIds = new HashSet<>();
            for (Receipt.LogEntry l : events) {
                AttemptRecord a = journal.attemptByHash(l.txHash())
                        .orElseThrow(() -> new AssertionError("not in the journal: " + l.txHash()));
                TxRecord tx = journal.find(a.txId()).orElseThrow();
                assertThat(txIds.add(tx.id())).as("one journal row per action").isTrue();
                assertThat(tx.vault()).isEqualTo(l.address());
                assertThat(tx.from()).isEqualTo(topicAddress(l, 1));
            }
            await("every journaled transaction settled", Duration.ofSeconds(30), dir, () -> {
                f.chain.mine(1);
                return journal.inFlight(f.chain.chainId()).isEmpty();
            });
            List<TxRecord> rows = journal.list(io.unwind.store.TxQuery.latest(1000));
            // A plan that waited out the outage for more blocks than a plan may age is abandoned before it is signed
            // (its vault is planned again from the chain): a row with no attempt, never sent. Every other row is one
            // of the actions above, mined.
            List<TxRecord> sent = rows.stream()
                    .filter(t -> !journal.attempts(t.id()).isEmpty())
                    .toList();
            assertThat(rows).filteredOn(t -> journal.attempts(t.id()).isEmpty()).allSatisfy(t -> {
                assertThat(t.state()).isEqualTo(TxState.FATAL_ERROR);
                assertThat(t.error().orElse("")).contains("abandoned");
            });
            assertThat(sent).extracting(TxRecord::id).containsExactlyInAnyOrderElementsOf(txIds);
            assertThat(sent).allSatisfy(t -> assertThat(t.state()).isIn(TxState.CONFIRMED, TxState.FINALIZED));

            System.out.printf(
                    "cluster restart: %d vaults saved %d ms after PostgreSQL accepted connections again (down %d s); "
                            + "both nodes live again after %d ms; actions by sender %s%n",
                    VAULTS,
                    savedAfterMs,
                    DOWN.toSeconds(),
                    heartbeatAfterMs,
                    events.stream().collect(Collectors.groupingBy(l -> topicAddress(l, 1), Collectors.counting())));
        }
    }

    private static int liveNodes(KeeperNodes registry, MarketFixture f) {
        try {
            return registry.live(f.chain.chainId(), Duration.ofSeconds(6)).size();
        } catch (RuntimeException e) { // the test's own pool may still be reconnecting
            return -1;
        }
    }

    /** Nodes whose heartbeat was written after {@code t}. */
    private static long seenSince(KeeperNodes registry, MarketFixture f, java.time.Instant t) {
        try {
            return registry.all(f.chain.chainId()).stream()
                    .filter(n -> n.lastSeenAt().isAfter(t))
                    .count();
        } catch (RuntimeException e) { // the test's own pool may still be reconnecting
            return -1;
        }
    }

    private static String config(MarketFixture f, List<Address> vaults, PrivatePostgres pg, int devAccount, String id)
            throws IOException {
        return ClusterNodes.config(
                f,
                vaults,
                new ClusterNodes.Journal(pg.url(), pg.user(), "CLUSTER_JOURNAL_PASSWORD"),
                ClusterNodes.devAccount(devAccount),
                freePort(),
                id,
                PARTITIONS,
                new ClusterNodes.Timing("500ms", CHECKIN.toMillis() + "ms", "6s"));
    }

    /** {@code unwind run} in a JVM of its own, with this test's class path. */
    private static Process start(Path config, Path log, PrivatePostgres pg) throws IOException {
        return ClusterNodes.start(config, log, java.util.Map.of("CLUSTER_JOURNAL_PASSWORD", pg.password()));
    }

    private static List<Address> overTrigger(MarketFixture f, List<Address> vaults) {
        var scan = f.lens.read(vaults, f.head());
        assertThat(scan.unreadable()).isEmpty();
        return scan.vaults().stream()
                .filter(h -> h.ltv().compareTo(Ltv.bpsToWad(TRIGGER_BPS)) >= 0)
                .map(VaultHealth::vault)
                .toList();
    }

    private static List<Receipt.LogEntry> deleveraged(MarketFixture f, List<Address> vaults, long from) {
        return f.client.logs(vaults, List.of(DELEVERAGED), from, f.chain.blockNumber());
    }

    private static Address topicAddress(Receipt.LogEntry l, int i) {
        return Address.of("0x" + l.topics().get(i).substring(26));
    }

    private void await(String what, Duration timeout, Path logs, BooleanSupplier done) throws InterruptedException {
        ClusterNodes.await(running, what, timeout, () -> tails(logs), done);
    }

    private static String tails(Path dir) {
        return ClusterNodes.tails(dir, List.of(NODE_IDS), 40);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
