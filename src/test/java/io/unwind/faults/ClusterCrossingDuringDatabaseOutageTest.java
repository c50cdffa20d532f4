package io.unwind.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.app.config.ConfigLoader;
import io.unwind.app.node.KeeperNode;
import io.unwind.chain.Receipt;
import io.unwind.domain.chain.Address;
import io.unwind.domain.position.Ltv;
import io.unwind.domain.position.VaultHealth;
import io.unwind.domain.tx.TxState;
import io.unwind.engine.KeeperEvents;
import io.unwind.local.LocalChain;
import io.unwind.local.MarketSpec;
import io.unwind.local.VaultSetup;
import io.unwind.store.AttemptRecord;
import io.unwind.store.Database;
import io.unwind.store.Journal;
import io.unwind.store.TxQuery;
import io.unwind.store.TxRecord;
import io.unwind.testing.ClusterNodes;
import io.unwind.testing.MarketFixture;
import io.unwind.testing.OperatorLog;
import io.unwind.testing.ScrapedAlerts;
import io.unwind.testing.TestPostgres;
import java.math.BigDecimal;
import java.net.URI;
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
import org.quartz.impl.SchedulerRepository;
import org.web3j.crypto.Hash;

/**
 * Two cluster nodes share one PostgreSQL through a TCP relay that the test cuts; while it is cut the collateral price
 * falls and every vault crosses its trigger. Nothing can be journaled, so nothing may be sent; but each node must keep
 * reading the vaults from chain and publish them: its /metrics must show the vaults' real LTV, every vault over its
 * trigger, the journal unavailable and every partition unticked, and the alert rules fed that scrape must fire for it.
 * The outage outlasts {@code deadAfter} and Quartz's failure threshold: when the database is back, no node may take the
 * other for dead (in Quartz or in the registry), every vault must be saved within the bound docs/CLUSTER.md gives, each
 * by exactly one action, and the partitions' shares must add up to the partitions again.
 */
@Tag("chain")
@Tag("postgres")
class ClusterCrossingDuringDatabaseOutageTest {
    private static final String DELEVERAGED =
            Hash.sha3String("Deleveraged(address,address,uint256,uint256,uint256,uint256,uint256,uint256)");
    private static final int[] DEV_ACCOUNTS = {3, 6};
    private static final String[] NODE_IDS = {"node-a", "node-b"};
    private static final int VAULTS = 4;
    private static final int PARTITIONS = 4;
    private static final int TRIGGER_BPS = 8000;
    /** Vaults open at 74% and 75% LTV at 3000: 80.4% and 81.5% at 2760 (trigger 80%, LLTV 86%: 94.8% of it). */
    private static final String CRASH = "2760";
    /** What docs/CLUSTER.md promises for the test's settings (0.5 s ticks, 1 s check-ins), with room for a busy CI. */
    private static final Duration SAVED_WITHIN = Duration.ofSeconds(20);

    /**
     * With -Dunwind.test.clusterDefaults=true the nodes run with the default cluster timings (1 s ticks, 5 s check-ins,
     * deadAfter 15 s) instead of the test's: to measure what docs/CLUSTER.md says of them.
     */
    private static final boolean DEFAULTS = Boolean.getBoolean("unwind.test.clusterDefaults");

    private static final Duration STAGGER = Duration.ofSeconds(2);
    /** How long the database stays cut; longer with -Dunwind.test.outageSeconds=150, to measure a long outage. */
    private static final Duration OUTAGE = Duration.ofSeconds(Integer.getInteger("unwind.test.outageSeconds", 8));

    private final List<KeeperNode> nodes = new java.util.concurrent.CopyOnWriteArrayList<>();

    @org.junit.jupiter.api.io.TempDir
    Path dir;

    @Test
    @SuppressWarnings("try") // stopNodes is a resource for its place in the closing order, not to be used
    void aVaultThatCrossesWhileTheDatabaseIsDownIsShownAtOnceAndSavedOnceWhenItIsBack() throws Exception {
        try (OperatorLog logs = OperatorLog.capture();
                TestPostgres pg = TestPostgres.create();
                // One relay per node: the nodes come back one after the other, as when their pools reconnect at
                // different moments.
                TcpCut relayA = relayTo(pg);
                TcpCut relayB = relayTo(pg);
                Database db = Database.open(pg.url(), pg.user(), pg.password()); // migrated once, before the nodes
                MarketFixture f = new MarketFixture(MarketSpec.wethUsdc()
                        .withPools(List.of(new MarketSpec.PoolSpec(
                                MarketSpec.Dex.UNISWAP_V3, 3000, new BigDecimal("200000000")))));
                // Declared last, closed first: the nodes stop before their chain and database go away.
                AutoCloseable stopNodes = () -> nodes.forEach(KeeperNode::close)) {
            List<Address> keepers = new ArrayList<>();
            for (int a : DEV_ACCOUNTS)
                keepers.add(LocalChain.devSigner(a, f.chain.chainId()).address());
            List<VaultSetup.Request> requests = new ArrayList<>();
            for (int i = 0; i < VAULTS; i++) {
                var r = VaultSetup.Request.of(MarketFixture.OWNER, "4", "0." + (74 + i % 2))
                        .withPolicy(MarketFixture.policy(TRIGGER_BPS, 7000));
                for (Address k : keepers) r = r.withKeeper(k);
                requests.add(r);
            }
            List<Address> vaults = f.vaults.openAll(requests, f.price());
            List<TcpCut> relays = List.of(relayA, relayB);
            for (int n = 0; n < NODE_IDS.length; n++) {
                String url = pg.url()
                        .replaceFirst("//[^/]+/", "//127.0.0.1:" + relays.get(n).port() + "/");
                Path config = dir.resolve(NODE_IDS[n] + ".yaml");
                Files.writeString(config, config(f, vaults, url, pg.user(), DEV_ACCOUNTS[n], NODE_IDS[n]));
                nodes.add(new KeeperNode(
                        ConfigLoader.load(config),
                        LocalChain.devSigner(DEV_ACCOUNTS[n], f.chain.chainId()),
                        Clock.systemUTC(),
                        KeeperEvents.NONE));
                // Quartz keeps one scheduler per name in a JVM, and every node of a cluster has the same name: forget
                // this node's (it runs on), so that the next node gets one of its own, as in its own process.
                SchedulerRepository.getInstance().remove("unwind-chain-" + f.chain.chainId());
            }
            nodes.forEach(KeeperNode::start);
            // Each node counts the vaults it read lately; the partitions move between the nodes at each firing, so
            // the cluster's count is the largest of the nodes'.
            await("both nodes live, and every vault read", Duration.ofSeconds(60), () -> {
                f.chain.mine(1);
                List<String> s = nodes.stream().map(n -> scrape(n)).toList();
                return s.stream()
                                .allMatch(x -> gauge(x, "unwind_cluster_nodes_live") == 2
                                        && gauge(x, "unwind_journal_available") == 1)
                        && s.stream()
                                        .mapToDouble(x -> gauge(x, "unwind_vaults_watched"))
                                        .max()
                                        .orElse(0)
                                == VAULTS;
            });

            relays.forEach(TcpCut::down);
            long cutAt = System.nanoTime();
            long from = f.chain.blockNumber() + 1;
            f.movePrice(CRASH);
            assertThat(overTrigger(f, vaults))
                    .as("every vault over its trigger")
                    .hasSize(VAULTS);
            // Until each node says the journal is down and shows every vault where the chain has it, and every
            // partition unticked (for the alert rules' scrape).
            List<String> during = new ArrayList<>();
            await("each node shows the crossing and the journal down", Duration.ofSeconds(30), () -> {
                f.chain.mine(1);
                during.clear();
                for (KeeperNode n : nodes) during.add(scrape(n));
                return during.stream()
                        .allMatch(s -> gauge(s, "unwind_journal_available") == 0
                                && gauge(s, "unwind_vaults_over_trigger") == VAULTS
                                && gauge(s, "unwind_cluster_partitions_unticked") == PARTITIONS
                                && ltvsShownAsOnChain(s, f, vaults));
            });
            long shownAfterMs = (System.nanoTime() - cutAt) / 1_000_000;
            for (String s : during)
                for (Address v : vaults)
                    assertThat(gauge(s, "unwind_vault_ltv{vault=\"" + v.hex() + "\"}"))
                            .as("vault %s's LTV shown while the database is down", v)
                            .isGreaterThanOrEqualTo(TRIGGER_BPS / 10_000.0);
            // Past deadAfter (2 s) and Quartz's failure threshold (1 s), several times over.
            while (System.nanoTime() - cutAt < OUTAGE.toNanos()) {
                f.chain.mine(1);
                Thread.sleep(300);
            }
            assertThat(deleveraged(f, vaults, from))
                    .as("nothing is sent while it cannot be journaled")
                    .isEmpty();

            // The alert rules on what a node exported while the database was down, held for 15 minutes: the journal,
            // the unticked partitions and the vaults over their trigger with no action landed page; nothing else.
            ScrapedAlerts.Result alerts =
                    ScrapedAlerts.test(ScrapedAlerts.inputSeries(during.get(0), "keeper-a:9464"), """
                          - expr: count by (alertname) (ALERTS{alertstate="firing"})
                            eval_time: 12m
                            exp_samples:
                              - labels: '{alertname="UnwindJournalUnavailable"}'
                                value: 1
                              - labels: '{alertname="UnwindClusterPartitionUnticked"}'
                                value: 1
                              - labels: '{alertname="UnwindVaultOverTriggerNoActionLanded"}'
                                value: 1
                    """);
            assertThat(alerts.exit()).as(alerts.output()).isZero();

            relayA.up();
            long back = System.nanoTime();
            // node-b's database comes back two seconds after node-a's: longer than Quartz's failure threshold (1 s),
            // so node-a must not take node-b's partitions (it was cut off too), nor give up its transactions.
            while (System.nanoTime() - back < STAGGER.toNanos()) {
                f.chain.mine(1);
                Thread.sleep(300);
            }
            relayB.up();
            await("every vault under its trigger after the database is back", Duration.ofSeconds(60), () -> {
                f.chain.mine(1);
                return overTrigger(f, vaults).isEmpty();
            });
            Duration savedAfter = Duration.ofNanos(System.nanoTime() - back);
            System.out.printf(
                    "cluster database outage: the crossing shown on both nodes %d ms after the cut; every vault saved"
                            + " %d ms after the database was back (down %d s)%n",
                    shownAfterMs,
                    savedAfter.toMillis(),
                    Duration.ofNanos(back - cutAt).toSeconds());

            // Each vault saved exactly once, by one journaled transaction of the key that sent it.
            List<Receipt.LogEntry> events = deleveraged(f, vaults, from);
            Map<Address, Long> perVault =
                    events.stream().collect(Collectors.groupingBy(Receipt.LogEntry::address, Collectors.counting()));
            assertThat(perVault)
                    .as("deleverages per vault")
                    .hasSize(VAULTS)
                    .allSatisfy((v, n) -> assertThat(n).isEqualTo(1L));
            Journal journal = new Journal(db.dataSource(), Clock.systemUTC());
            Set<Long> txIds = new HashSet<>();
            for (Receipt.LogEntry l : events) {
                AttemptRecord a = journal.attemptByHash(l.txHash())
                        .orElseThrow(() -> new AssertionError("not in the journal: " + l.txHash()));
                TxRecord tx = journal.find(a.txId()).orElseThrow();
                assertThat(txIds.add(tx.id())).as("one journal row per action").isTrue();
                assertThat(tx.vault()).isEqualTo(l.address());
            }
            await("every journaled transaction settled", Duration.ofSeconds(30), () -> {
                f.chain.mine(1);
                return journal.inFlight(f.chain.chainId()).isEmpty();
            });
            // Nothing given up for a node taken for dead: only plans that aged out while waiting are abandoned.
            assertThat(journal.list(TxQuery.latest(1000)))
                    .filteredOn(t -> t.state() == TxState.FATAL_ERROR)
                    .allSatisfy(t -> assertThat(t.error().orElse("")).contains("abandoned"));

            // Both nodes are live again, and the partitions' shares add up to the partitions (not to twice them).
            await("both nodes live and their shares whole again", Duration.ofSeconds(30), () -> {
                f.chain.mine(1);
                List<String> s = nodes.stream().map(n -> scrape(n)).toList();
                double owned = s.stream()
                        .mapToDouble(x -> gauge(x, "unwind_cluster_partitions_owned"))
                        .sum();
                return s.stream()
                                .allMatch(x -> gauge(x, "unwind_journal_available") == 1
                                        && gauge(x, "unwind_cluster_nodes_live") == 2
                                        && gauge(x, "unwind_cluster_partitions_unticked") == 0)
                        && owned >= PARTITIONS * 0.75;
            });
            for (int i = 0; i < 3; i++) {
                double owned = nodes.stream()
                        .mapToDouble(n -> gauge(scrape(n), "unwind_cluster_partitions_owned"))
                        .sum();
                assertThat(owned)
                        .as("partitions owned, summed over the nodes")
                        .isBetween(PARTITIONS * 0.75, PARTITIONS + 0.01);
                Thread.sleep(400);
            }
            assertThat(logs.messages())
                    .as("no node was taken for dead by Quartz or by the others")
                    .noneMatch(m -> m.contains("recovered by another instance"))
                    .noneMatch(m -> m.contains("declared dead"));

            assertThat(savedAfter).as("saved after the database is back").isLessThan(SAVED_WITHIN);
        }
    }

    private static boolean ltvsShownAsOnChain(String scrape, MarketFixture f, List<Address> vaults) {
        for (Address v : vaults) {
            double onChain = Ltv.fractionAsDouble(f.health(v).ltv());
            double shown = gauge(scrape, "unwind_vault_ltv{vault=\"" + v.hex() + "\"}");
            if (Double.isNaN(shown) || Math.abs(shown - onChain) > 1e-4) return false;
        }
        return true;
    }

    private static String scrape(KeeperNode n) {
        return ScrapedAlerts.get("http://127.0.0.1:" + n.http().orElseThrow().port() + "/metrics");
    }

    private static double gauge(String scrape, String series) {
        return ScrapedAlerts.value(scrape, series).orElse(Double.NaN);
    }

    private static String config(
            MarketFixture f, List<Address> vaults, String journalUrl, String user, int devAccount, String id) {
        return ClusterNodes.config(
                f,
                vaults,
                new ClusterNodes.Journal(journalUrl, user, "UNWIND_TEST_POSTGRES_PASSWORD"),
                ClusterNodes.devAccount(devAccount),
                0,
                id,
                PARTITIONS,
                DEFAULTS ? new ClusterNodes.Timing("1s", "5s", "15s") : new ClusterNodes.Timing("500ms", "1s", "2s"));
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

    private void await(String what, Duration timeout, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline)
                throw new AssertionError("timed out waiting: " + what + "\n" + String.join("\n", state()));
            Thread.sleep(200);
        }
    }

    /** The cluster's gauges on each node, for a failure's message. */
    private List<String> state() {
        List<String> out = new ArrayList<>();
        for (KeeperNode n : nodes) {
            try {
                scrape(n)
                        .lines()
                        .filter(l -> l.startsWith("unwind_cluster")
                                || l.startsWith("unwind_journal")
                                || l.startsWith("unwind_vault"))
                        .forEach(l -> out.add(n.keeperAddress() + " " + l));
            } catch (AssertionError e) {
                out.add(n.keeperAddress() + ": " + e.getMessage());
            }
        }
        return out;
    }

    private static TcpCut relayTo(TestPostgres db) {
        URI server = URI.create(db.url().substring("jdbc:".length()));
        return new TcpCut(URI.create("tcp://" + server.getHost() + ":" + server.getPort()));
    }
}
