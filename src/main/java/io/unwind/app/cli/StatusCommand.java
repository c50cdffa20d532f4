package io.unwind.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.unwind.app.Wiring;
import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.BlockRef;
import io.unwind.domain.money.Wei;
import io.unwind.domain.position.VaultHealth;
import io.unwind.store.Database;
import io.unwind.store.KeeperNodes;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "status",
        description = {
            "Show the vaults' health and the keeper's state.",
            "For each vault at the latest block: LTV against trigger, target and LLTV, how far the price may fall before",
            "liquidation, collateral, debt, reserve and the last keeper action; for the keeper: its balance for gas and whether",
            "its node answers /ready."
        },
        footer = {
            "",
            "Vaults: those named, else --owner's, else the config's list, else every vault of the factory.",
            "",
            "Examples:",
            "  unwind status --config devnet/unwind.yaml",
            "  unwind status 0x8acd...41ff --json",
            "  watch -n 2 unwind status"
        })
public final class StatusCommand implements Callable<Integer> {
    @Mixin
    ChainOptions chainOptions;

    @Parameters(paramLabel = "VAULT", arity = "0..*", description = "Vaults to show.")
    List<Address> vaults = new ArrayList<>();

    @Option(names = "--owner", paramLabel = "ADDRESS", description = "Show this owner's vaults (from the factory).")
    Address owner;

    @Mixin
    JsonOutput json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (ChainContext chain = chainOptions.open()) {
            List<Address> list = !vaults.isEmpty()
                    ? List.copyOf(vaults)
                    : owner != null ? chain.vaultsOf(owner) : chain.watchedVaults();
            BlockRef head = chain.head();
            var scan = chain.lensReader().read(list, head);
            Optional<Address> keeper = chain.keeper();
            Optional<Wei> balance = keeper.map(chain.client::balance);
            Optional<String> node = chain.config
                    .filter(c -> c.http().enabled())
                    .map(c -> ready(c.http().host(), c.http().port()));
            Map<String, String> says = chain.config
                    .filter(c -> c.http().enabled())
                    .map(c -> keeperSays(c.http().host(), c.http().port()))
                    .orElse(Map.of());
            // The registry is in the journal: while its database is down the vaults (from the chain) are shown all
            // the same, and why the nodes are not.
            Optional<String> clusterUnavailable = Optional.empty();
            Optional<List<KeeperNodes.Node>> cluster = Optional.empty();
            if (chain.config.isPresent() && chain.config.get().cluster().enabled()) {
                try {
                    cluster = Optional.of(clusterNodes(chain.config.get(), chain.chainId));
                } catch (io.unwind.app.config.ConfigException e) {
                    throw e; // the journal's password variable: named, exit 2
                } catch (RuntimeException e) {
                    clusterUnavailable = Optional.of("the journal could not be read (" + e.getMessage() + ")");
                }
            }
            java.time.Instant now = java.time.Instant.now();
            java.util.Set<String> marketIds = new java.util.TreeSet<>();
            scan.vaults().forEach(h -> marketIds.add(h.marketId()));
            MarketsRisk risk = chain.config
                    .map(c -> marketsRisk(c, chain.chainId, marketIds))
                    .orElse(new MarketsRisk(List.of(), Optional.empty()));
            if (json.on()) {
                var deadAfter = chain.config.map(c -> c.cluster().deadAfter());
                Json.print(
                        spec.commandLine().getOut(),
                        new JsonShapes.Status(
                                chain.chainId,
                                head.number(),
                                head.timestamp().toString(),
                                keeper.map(k -> new JsonShapes.StatusKeeper(
                                                k.hex(),
                                                balance.orElseThrow().value().toString(),
                                                node.orElse("no http in config")))
                                        .orElse(null),
                                cluster.map(nodes -> nodes.stream()
                                                .map(n -> new JsonShapes.ClusterNode(
                                                        n.nodeId(),
                                                        n.sender().hex(),
                                                        n.lastSeenAt().toString(),
                                                        n.aliveAt(now, deadAfter.orElseThrow()),
                                                        n.lastBlock().orElse(null),
                                                        n.partitions()))
                                                .toList())
                                        .orElse(null),
                                clusterUnavailable.orElse(null),
                                scan.vaults().stream()
                                        .map(h -> new JsonShapes.StatusVault(
                                                VaultView.json(h, head.timestamp()),
                                                says.get(h.vault().hex())))
                                        .toList(),
                                scan.unreadable().stream()
                                        .map(u -> new JsonShapes.Unreadable(
                                                u.vault().hex(), u.reason()))
                                        .toList(),
                                risk.markets(),
                                risk.unavailable().orElse(null)));
                return ExitCodes.OK;
            }
            PrintWriter out = spec.commandLine().getOut();
            out.printf(
                    "chain %d, block %d (%s)%n",
                    chain.chainId, head.number(), Units.ago(head.timestamp(), java.time.Instant.now()));
            keeper.ifPresent(k -> out.printf(
                    "keeper %s, balance %s, node %s%n", k, Units.etherApprox(balance.orElseThrow()), node.orElse("-")));
            cluster.ifPresent(nodes -> {
                Table c = new Table("NODE", "KEEPER", "LAST HEARTBEAT", "STATE", "BLOCK", "PARTITIONS");
                for (var n : nodes) {
                    c.row(
                            n.nodeId(),
                            n.sender(),
                            Units.ago(n.lastSeenAt(), now),
                            n.aliveAt(now, chain.config.orElseThrow().cluster().deadAfter()) ? "alive" : "stopped",
                            n.lastBlock().map(String::valueOf).orElse("-"),
                            n.partitions().isEmpty()
                                    ? "-"
                                    : n.partitions().stream()
                                            .map(String::valueOf)
                                            .collect(java.util.stream.Collectors.joining(",")));
                }
                if (c.isEmpty()) out.println("cluster: no node has checked in yet");
                else c.print(out);
                out.println();
            });
            clusterUnavailable.ifPresent(why -> out.println("cluster: " + why + "\n"));
            Table t = new Table(
                    "VAULT",
                    "LTV",
                    "TRIGGER",
                    "TARGET",
                    "LLTV",
                    "PRICE DROP TO LIQ.",
                    "COLLATERAL",
                    "DEBT",
                    "RESERVE",
                    "LAST ACTION",
                    "GUARD",
                    "STATE");
            for (VaultHealth h : scan.vaults()) {
                boolean set = h.policy().isSet();
                t.row(
                        h.vault(),
                        VaultView.ltv(h),
                        set ? Units.percent(h.policy().triggerLtvBps()) : "-",
                        set ? Units.percent(h.policy().targetLtvBps()) : "-",
                        Units.percent(h.lltv()),
                        VaultView.drop(h),
                        Units.amount(VaultView.collateral(h), 4),
                        Units.amount(VaultView.debt(h), 2),
                        Units.amount(VaultView.reserve(h), 2),
                        Units.ago(h.lastActionAt(), head.timestamp()),
                        VaultView.guardCell(h),
                        VaultView.state(h) + (h.keeperAllowed() || keeper.isEmpty() ? "" : ", keeper not allowed"));
            }
            if (t.isEmpty())
                out.println(
                        "no vaults" + (list.isEmpty() ? " to watch (create one: unwind vault create)" : " readable"));
            else t.print(out);
            scan.unreadable().forEach(u -> out.println("unreadable: " + u.vault() + ": " + u.reason()));
            if (!risk.markets().isEmpty()) {
                out.println();
                Table m = new Table("MARKET", "VOLATILITY", "FAST", "SLOW", "POOL", "AT BLOCK");
                for (var r : risk.markets()) {
                    m.row(
                            Units.shortHex(r.marketId()),
                            Units.percent(r.volatility()),
                            Units.percent(r.oracleFast()),
                            Units.percent(r.oracleSlow()),
                            r.pool() == null ? "-" : Units.percent(r.pool()),
                            String.valueOf(r.block()));
                }
                m.print(out);
                out.println("volatility a year, as the keeper last kept it in its journal (the largest of the oracle's"
                        + " fast and slow estimates, the pool's and the floor; `unwind market map` shows the"
                        + " liquidation queue that can raise it)");
            }
            risk.unavailable().ifPresent(why -> out.println("volatility: " + why));
            // Why the keeper holds a vault over its trigger (not allowed, paused, too small to pay for its gas...): the
            // node's last word on it, which the chain alone cannot tell.
            for (VaultHealth h : scan.vaults()) {
                String word = says.get(h.vault().hex());
                if (h.overTrigger() && word != null) out.println("keeper on " + h.vault() + ": " + word);
            }
            out.flush();
        }
        return ExitCodes.OK;
    }

    /** The markets' volatility from the journal, or why it could not be read. */
    record MarketsRisk(List<JsonShapes.MarketRisk> markets, Optional<String> unavailable) {}

    /**
     * The watched markets' volatility as the keeper keeps it in its journal. The journal may be down or locked by a
     * running keeper: that is said, and the vaults' health (from the chain) is shown all the same.
     */
    private static MarketsRisk marketsRisk(
            io.unwind.app.config.UnwindConfig c, long chainId, java.util.Set<String> marketIds) {
        var settings = c.strategy().risk().settings();
        double year = Math.sqrt(settings.blocksPerYear());
        try (Database db = Wiring.openJournal(c.journal())) {
            var all = new io.unwind.store.MarketRisk(db.dataSource(), java.time.Clock.systemUTC(), chainId).load();
            List<JsonShapes.MarketRisk> out = new java.util.ArrayList<>();
            for (String id : marketIds) {
                var v = all.get(id);
                if (v == null) continue;
                var r = v.reading(settings.floorPerBlock(), 1, "", settings.blocksPerYear());
                out.add(new JsonShapes.MarketRisk(
                        id,
                        r.sigmaAnnual(),
                        v.oracle().fast().sigmaPerBlock() * year,
                        v.oracle().slow().sigmaPerBlock() * year,
                        v.pool().samples() == 0 ? null : v.pool().sigmaPerBlock() * year,
                        settings.minVolatility(),
                        Math.max(v.oracle().block(), v.pool().block())));
            }
            return new MarketsRisk(out, Optional.empty());
        } catch (RuntimeException e) {
            return new MarketsRisk(List.of(), Optional.of("the journal could not be read (" + e.getMessage() + ")"));
        }
    }

    /** The cluster's nodes from the shared journal's registry. */
    private static List<KeeperNodes.Node> clusterNodes(io.unwind.app.config.UnwindConfig c, long chainId) {
        try (Database db = Wiring.openJournal(c.journal())) {
            return new KeeperNodes(db.dataSource(), java.time.Clock.systemUTC()).all(chainId);
        }
    }

    /**
     * The keeper node's last outcome for each vault, as "held: too small to pay for its gas: ...", by vault address
     * (lower-case hex); empty when the node does not answer.
     */
    public static Map<String, String> keeperSays(String host, int port) {
        URI uri = URI.create("http://" + host + ":" + port + "/api/status");
        try (HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            HttpResponse<String> r = client.send(
                    HttpRequest.newBuilder(uri)
                            .timeout(Duration.ofSeconds(2))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            Map<String, String> out = new LinkedHashMap<>();
            for (JsonNode v : new ObjectMapper().readTree(r.body()).path("vaults")) {
                String detail = v.path("detail").asText("");
                out.put(
                        v.path("vault").asText(),
                        v.path("outcome").asText("?") + (detail.isEmpty() ? "" : ": " + detail));
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        } catch (Exception e) {
            return Map.of();
        }
    }

    /** What the keeper node's /ready says, in a few words; a node that is not running is not an error here. */
    static String ready(String host, int port) {
        URI uri = URI.create("http://" + host + ":" + port + "/ready");
        try (HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            HttpResponse<String> r = client.send(
                    HttpRequest.newBuilder(uri)
                            .timeout(Duration.ofSeconds(2))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode n = new ObjectMapper().readTree(r.body());
            List<String> failing = new ArrayList<>();
            n.path("checks").properties().forEach(e -> {
                if (!e.getValue().path("ok").asBoolean())
                    failing.add(e.getKey() + ": " + e.getValue().path("detail").asText());
            });
            return n.path("status").asText("?") + (failing.isEmpty() ? "" : " (" + String.join("; ", failing) + ")")
                    + " at http://" + host + ":" + port + "/";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "not checked";
        } catch (Exception e) {
            return "not answering on " + host + ":" + port + " (not running?)";
        }
    }
}
