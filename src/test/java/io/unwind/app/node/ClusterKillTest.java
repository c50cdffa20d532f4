package io.unwind.app.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.chain.Receipt;
import io.unwind.domain.chain.Address;
import io.unwind.domain.position.Ltv;
import io.unwind.domain.position.VaultHealth;
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
import io.unwind.testing.TestPostgres;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;

/**
 * Three keeper processes, each with its own key, share one PostgreSQL journal and one crashing market of many vaults
 * that allow all three. In the middle of the crash one process is killed with SIGKILL. Every vault must come through
 * (LTV under its trigger at the end, never at its LLTV), no vault may be deleveraged twice for one price step, every
 * action on chain must be in the journal under the key that sent it, and the killed node's work must be done by the two
 * others.
 */
@Tag("chain")
@Tag("process")
@Tag("postgres")
class ClusterKillTest {
    private static final String DELEVERAGED =
            Hash.sha3String("Deleveraged(address,address,uint256,uint256,uint256,uint256,uint256,uint256)");
    private static final int[] DEV_ACCOUNTS = {3, 6, 7};
    private static final String[] NODE_IDS = {"node-a", "node-b", "node-c"};
    private static final int VAULTS = 36;
    private static final int PARTITIONS = 12;
    private static final int TRIGGER_BPS = 8000;
    private static final Duration CHECKIN = Duration.ofSeconds(2);
    /**
     * Vaults open at 73% to 75% LTV at 3000; the first step puts them at 81.7% to 84% (trigger 80%, LLTV 86%), and each
     * next step lowers the price by a sixth: a vault deleveraged to its 70% target is at about 82.6% again.
     */
    private static final List<String> STEPS = List.of("2680", "2270", "1925", "1630");

    private static final int KILL_AT_STEP = 1;

    @Test
    @SuppressWarnings("try") // stopNodes is a resource for its place in the closing order, not to be used
    void aNodeKilledMidCrashIsTakenOverAndNoActionIsDoubled() throws Exception {
        Path dir = Files.createTempDirectory("unwind-cluster");
        List<Process> processes = new ArrayList<>();
        try (TestPostgres pg = TestPostgres.create();
                Database db =
                        Database.open(pg.url(), pg.user(), pg.password()); // migrated here once, before the nodes start
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
                        .withPolicy(oneSalePolicy());
                for (Address k : keepers) r = r.withKeeper(k);
                requests.add(r);
            }
            List<Address> vaults = f.vaults.openAll(requests, f.price());
            Set<Integer> partitionsInUse = vaults.stream()
                    .map(v -> ClusterTickScheduler.partitionOf(v, PARTITIONS))
                    .collect(Collectors.toSet());

            int[] httpPorts = new int[3];
            for (int n = 0; n < 3; n++) {
                httpPorts[n] = freePort();
                Path config = dir.resolve(NODE_IDS[n] + ".yaml");
                Files.writeString(config, config(f, vaults, pg, DEV_ACCOUNTS[n], NODE_IDS[n], httpPorts[n]));
                processes.add(start(config, dir.resolve(NODE_IDS[n] + ".log"), pg));
                running.add(processes.get(n));
            }
            KeeperNodes registry = new KeeperNodes(db.dataSource(), Clock.systemUTC());
            Journal journal = new Journal(db.dataSource(), Clock.systemUTC());
            await(
                    "three nodes check in",
                    Duration.ofSeconds(60),
                    dir,
                    () -> registry.live(f.chain.chainId(), Duration.ofSeconds(10))
                                    .size()
                            == 3);

            // The crash, step by step; one node dies in the middle of a step.
            List<long[]> stepBlocks = new ArrayList<>();
            int victim = -1;
            long killedAt = 0;
            long recoveredAfterMs = -1;
            long stepDoneAfterKillMs = -1;
            for (int s = 0; s < STEPS.size(); s++) {
                long from = f.chain.blockNumber() + 1;
                f.movePrice(STEPS.get(s));
                assertThat(overTrigger(f, vaults))
                        .as("every vault is over its trigger at step %d", s)
                        .hasSize(VAULTS);
                if (s == KILL_AT_STEP) {
                    await(
                            "a third of the step's actions",
                            Duration.ofSeconds(60),
                            dir,
                            () -> deleveraged(f, vaults, from).size() >= VAULTS / 3);
                    // The victim: the node with the most of this step's actions so far, which surely holds partitions.
                    Map<Address, Long> bySender = deleveraged(f, vaults, from).stream()
                            .collect(Collectors.groupingBy(l -> topicAddress(l, 1), Collectors.counting()));
                    Address busiest = bySender.entrySet().stream()
                            .max(Map.Entry.comparingByValue())
                            .orElseThrow()
                            .getKey();
                    victim = keepers.indexOf(busiest);
                    running.remove(processes.get(victim));
                    killedAt = System.nanoTime();
                    processes
                            .get(victim)
                            .destroyForcibly(); // SIGKILL: no shutdown hook, no goodbye to Quartz or the registry
                    processes.get(victim).waitFor();
                }
                await(
                        "every vault under its trigger after step " + s,
                        Duration.ofSeconds(90),
                        dir,
                        () -> overTrigger(f, vaults).isEmpty());
                if (s == KILL_AT_STEP) {
                    stepDoneAfterKillMs = (System.nanoTime() - killedAt) / 1_000_000;
                    String dead = NODE_IDS[victim];
                    await(
                            "Quartz recovers the killed node's jobs",
                            Duration.ofSeconds(30),
                            dir,
                            () -> quartzInstances(db).stream().noneMatch(dead::equals));
                    recoveredAfterMs = (System.nanoTime() - killedAt) / 1_000_000;
                }
                stepBlocks.add(new long[] {from, f.chain.blockNumber()});
            }
            long end = f.chain.blockNumber();

            // 1. Every vault came through: under its trigger now, and never liquidatable (LTV under LLTV on chain).
            for (Address v : vaults) {
                VaultHealth h = f.health(v);
                assertThat(h.ltv())
                        .as("vault %s", v)
                        .isLessThan(Ltv.bpsToWad(TRIGGER_BPS))
                        .isLessThan(h.lltv());
            }

            // 2. No action doubled: every vault was over its trigger at each price step and was deleveraged in it; a
            // step's sales of one vault are one sale to the target or a sale in chunks (the vault's equity bound limits
            // one sale's loss, so a large step can take two), never a sale after the vault was saved: every sale of a
            // vault in a step but its last ended at or above the trigger (the event's ltvAfter).
            for (int s = 0; s < stepBlocks.size(); s++) {
                long[] b = stepBlocks.get(s);
                Map<Address, List<Receipt.LogEntry>> perVault =
                        f.client.logs(vaults, List.of(DELEVERAGED), b[0], b[1]).stream()
                                .collect(Collectors.groupingBy(Receipt.LogEntry::address));
                assertThat(perVault).as("vaults deleveraged at step %d", s).hasSize(VAULTS);
                int step = s;
                perVault.forEach((v, sales) -> {
                    List<Receipt.LogEntry> ordered = sales.stream()
                            .sorted(java.util.Comparator.comparingLong(Receipt.LogEntry::blockNumber)
                                    .thenComparingLong(Receipt.LogEntry::logIndex))
                            .toList();
                    for (Receipt.LogEntry l : ordered.subList(0, ordered.size() - 1)) {
                        assertThat(ltvAfter(l))
                                .as("vault %s at step %d: a sale before its last is a chunk", v, step)
                                .isGreaterThanOrEqualTo(Ltv.bpsToWad(TRIGGER_BPS));
                    }
                });
            }

            // 3. The journal shows who did what: every deleverage on chain is one journaled transaction of the key that
            // sent
            // it, and each key is a registered node.
            List<Receipt.LogEntry> all = f.client.logs(vaults, List.of(DELEVERAGED), 0, end);
            Map<Address, String> nodeOf = registry.all(f.chain.chainId()).stream()
                    .collect(Collectors.toMap(KeeperNodes.Node::sender, KeeperNodes.Node::nodeId));
            assertThat(nodeOf.values()).containsExactlyInAnyOrder(NODE_IDS);
            Map<String, Integer> actionsByNode = new LinkedHashMap<>();
            Set<Long> txIds = new HashSet<>();
            for (Receipt.LogEntry l : all) {
                AttemptRecord a = journal.attemptByHash(l.txHash())
                        .orElseThrow(() -> new AssertionError("not in the journal: " + l.txHash()));
                TxRecord tx = journal.find(a.txId()).orElseThrow();
                assertThat(txIds.add(tx.id())).as("one journal row per action").isTrue();
                assertThat(tx.vault()).isEqualTo(l.address());
                assertThat(tx.from())
                        .as("the journal's sender is the keeper the vault saw")
                        .isEqualTo(topicAddress(l, 1));
                awaitState(
                        journal, tx.id(),
                        dir); // the killed node's last ones are settled by a survivor once it is declared dead
                actionsByNode.merge(nodeOf.get(tx.from()), 1, Integer::sum);
            }
            assertThat(actionsByNode).as("every node acted").hasSize(3);

            // 4. Taken over: after the kill, the killed node sent nothing more, and the survivors did the work in every
            // partition that has vaults, the killed node's included.
            Address dead = keepers.get(victim);
            long killStepFrom = stepBlocks.get(KILL_AT_STEP)[0];
            Set<Integer> deadPartitions = all.stream()
                    .filter(l ->
                            l.blockNumber() < killStepFrom && topicAddress(l, 1).equals(dead))
                    .map(l -> ClusterTickScheduler.partitionOf(l.address(), PARTITIONS))
                    .collect(Collectors.toSet());
            long afterFrom = stepBlocks.get(KILL_AT_STEP + 1)[0];
            List<Receipt.LogEntry> after = f.client.logs(vaults, List.of(DELEVERAGED), afterFrom, end);
            assertThat(after).extracting(l -> topicAddress(l, 1)).doesNotContain(dead);
            Set<Integer> survivorsCovered = after.stream()
                    .map(l -> ClusterTickScheduler.partitionOf(l.address(), PARTITIONS))
                    .collect(Collectors.toSet());
            assertThat(survivorsCovered).containsAll(deadPartitions).isEqualTo(partitionsInUse);

            // 5. Registry and metrics: the survivors see two live nodes, and between them tick every partition.
            await("the registry shows two live nodes holding every partition", Duration.ofSeconds(20), dir, () -> {
                var live = registry.live(f.chain.chainId(), Duration.ofSeconds(6));
                Set<Integer> held =
                        live.stream().flatMap(n -> n.partitions().stream()).collect(Collectors.toSet());
                return live.size() == 2 && held.size() == PARTITIONS;
            });
            int survivor = (victim + 1) % 3;
            await(
                    "a survivor's metrics count two live nodes",
                    Duration.ofSeconds(20),
                    dir,
                    () -> metric(httpPorts[survivor], "unwind_cluster_nodes_live") == 2.0);
            // Each survivor's share of the firings: together at most the partitions (each counted once, not once per
            // node as
            // before), and less only as far as firings run late while the survivors work through the crash.
            int other = (victim + 2) % 3;
            double owned = metric(httpPorts[survivor], "unwind_cluster_partitions_owned")
                    + metric(httpPorts[other], "unwind_cluster_partitions_owned");
            assertThat(owned)
                    .as("partitions owned, summed over the survivors")
                    .isBetween(PARTITIONS * 0.5, PARTITIONS + 0.01);
            // The takeover is said in a survivor's log, naming the killed node; neither survivor takes the other for
            // dead.
            String deadNode = NODE_IDS[victim];
            await("a survivor says it took the killed node's partitions", Duration.ofSeconds(20), dir, () -> {
                try {
                    return Files.readString(dir.resolve(NODE_IDS[survivor] + ".log"))
                                    .contains("node " + deadNode + " declared dead")
                            || Files.readString(dir.resolve(NODE_IDS[other] + ".log"))
                                    .contains("node " + deadNode + " declared dead");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            for (int n : new int[] {survivor, other}) {
                assertThat(Files.readAllLines(dir.resolve(NODE_IDS[n] + ".log")))
                        .filteredOn(l -> l.contains("declared dead"))
                        .allSatisfy(l -> assertThat(l)
                                .contains("node " + deadNode + " declared dead (silent for ")
                                .contains("taken over by " + NODE_IDS[n]));
            }

            // 6. Nothing is left in flight: whatever the killed node had sent was settled by a survivor
            // (OrphanSweeper).
            await(
                    "every journaled transaction settled",
                    Duration.ofSeconds(30),
                    dir,
                    () -> journal.inFlight(f.chain.chainId()).isEmpty());
            long abandoned = journal.list(io.unwind.store.TxQuery.latest(1000)).stream()
                    .filter(t -> t.state() == io.unwind.domain.tx.TxState.FATAL_ERROR)
                    .count();

            // 7. `unwind status --json` on a cluster config lists the nodes, the killed one stopped.
            Path statusConfig = dir.resolve("status.yaml");
            Files.writeString(
                    statusConfig,
                    config(f, vaults, pg, DEV_ACCOUNTS[0], NODE_IDS[0], httpPorts[0])
                            .replace(
                                    "journal: {url: \"" + pg.url() + "\"",
                                    "journal: {url: \"" + pg.url() + "?password=" + pg.password() + "\"")
                            .replace(", passwordEnv: CLUSTER_JOURNAL_PASSWORD", ""));
            java.io.StringWriter out = new java.io.StringWriter();
            int exit = io.unwind.app.Main.execute(
                    new java.io.PrintWriter(out, true),
                    new java.io.PrintWriter(new java.io.StringWriter(), true),
                    "status",
                    "--json",
                    "--config",
                    statusConfig.toString());
            assertThat(exit).as(out.toString()).isZero();
            var status = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(out.toString())
                    .path("cluster");
            Map<String, Boolean> aliveById = new HashMap<>();
            status.forEach(n ->
                    aliveById.put(n.path("nodeId").asText(), n.path("alive").asBoolean()));
            assertThat(aliveById)
                    .containsOnlyKeys(NODE_IDS)
                    .containsEntry(NODE_IDS[victim], false)
                    .containsEntry(NODE_IDS[(victim + 1) % 3], true)
                    .containsEntry(NODE_IDS[(victim + 2) % 3], true);
            status.forEach(n -> assertThat(n.path("keeper").asText())
                    .isEqualTo(keepers.get(
                                    List.of(NODE_IDS).indexOf(n.path("nodeId").asText()))
                            .hex()));
            java.io.StringWriter table = new java.io.StringWriter();
            assertThat(io.unwind.app.Main.execute(
                            new java.io.PrintWriter(table, true),
                            new java.io.PrintWriter(new java.io.StringWriter(), true),
                            "status",
                            "--config",
                            statusConfig.toString()))
                    .isZero();
            String deadId = NODE_IDS[victim];
            String deadRow = table.toString()
                    .lines()
                    .filter(l -> l.startsWith(deadId + " "))
                    .findFirst()
                    .orElseThrow();
            assertThat(deadRow).contains(dead.toString()).contains("stopped");
            System.out.println(table.toString().lines().limit(5).collect(Collectors.joining("\n")));

            System.out.printf(
                    "cluster kill: %d vaults, %d partitions, %d steps; killed %s (%s) at step %d; Quartz recovered its jobs "
                            + "%d ms after the kill; the step finished %d ms after the kill; actions by node %s; dead node's partitions %s; transactions given up %d%n",
                    VAULTS,
                    PARTITIONS,
                    STEPS.size(),
                    NODE_IDS[victim],
                    dead,
                    KILL_AT_STEP,
                    recoveredAfterMs,
                    stepDoneAfterKillMs,
                    actionsByNode,
                    deadPartitions,
                    abandoned);
        }
    }

    private static String config(
            MarketFixture f, List<Address> vaults, TestPostgres pg, int devAccount, String nodeId, int httpPort) {
        return ClusterNodes.config(
                f,
                vaults,
                new ClusterNodes.Journal(pg.url(), pg.user(), "CLUSTER_JOURNAL_PASSWORD"),
                ClusterNodes.devAccount(devAccount),
                httpPort,
                nodeId,
                PARTITIONS,
                new ClusterNodes.Timing("500ms", CHECKIN.toMillis() + "ms", "6s"));
    }

    /** {@code unwind run} in a JVM of its own, with this test's class path. */
    private static Process start(Path config, Path log, TestPostgres pg) throws IOException {
        return ClusterNodes.start(config, log, java.util.Map.of("CLUSTER_JOURNAL_PASSWORD", pg.password()));
    }

    /**
     * The fixture's policy with a 3% slippage cap. The test is about a node's death and its takeover; under a 1% cap
     * the vault's equity bound splits each vault's sale after a 15% step into chunks (36 vaults, twice the sales on one
     * pool in the same blocks), which is the market-wide crash's own problem and is tested on its own.
     */
    private static io.unwind.domain.position.Policy oneSalePolicy() {
        io.unwind.domain.position.Policy p = MarketFixture.policy(TRIGGER_BPS, 7000);
        return new io.unwind.domain.position.Policy(
                p.triggerLtvBps(),
                p.targetLtvBps(),
                p.bandBps(),
                300,
                p.maxFeeBps(),
                p.maxSellBps(),
                p.cooldown(),
                p.maxGasPrice());
    }

    /** The Deleveraged event's ltvAfter: the last of its six data words. */
    private static java.math.BigInteger ltvAfter(Receipt.LogEntry l) {
        String data = l.data().startsWith("0x") ? l.data().substring(2) : l.data();
        return new java.math.BigInteger(data.substring(5 * 64, 6 * 64), 16);
    }

    /** Waits until the journal records transaction {@code id} as mined (whoever settles it). */
    private void awaitState(Journal journal, long id, Path dir) throws InterruptedException {
        await("tx #" + id + " recorded as mined", Duration.ofSeconds(30), dir, () -> {
            var state = journal.find(id).orElseThrow().state();
            assertThat(state).as("tx #%d is on chain", id).isNotEqualTo(io.unwind.domain.tx.TxState.FATAL_ERROR);
            return state == io.unwind.domain.tx.TxState.CONFIRMED || state == io.unwind.domain.tx.TxState.FINALIZED;
        });
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

    private static List<String> quartzInstances(Database db) {
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT instance_name FROM qrtz_scheduler_state");
                ResultSet rs = ps.executeQuery()) {
            List<String> out = new ArrayList<>();
            while (rs.next()) out.add(rs.getString(1));
            return out;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double metric(int port, String name) {
        try (HttpClient client = HttpClient.newHttpClient()) {
            String body = client.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            Map<String, Double> values = new HashMap<>();
            for (String line : body.split("\n")) {
                if (line.startsWith(name + " "))
                    values.put(
                            name,
                            Double.parseDouble(line.substring(name.length() + 1).trim()));
            }
            return values.getOrDefault(name, Double.NaN);
        } catch (IOException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The nodes that should be running: one that exits on its own fails the test at once, with the logs. */
    private final List<Process> running = new java.util.concurrent.CopyOnWriteArrayList<>();

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
