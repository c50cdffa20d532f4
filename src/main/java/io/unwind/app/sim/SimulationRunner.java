package io.unwind.app.sim;

import io.unwind.app.config.UnwindConfig;
import io.unwind.app.node.KeeperNode;
import io.unwind.chain.Receipt;
import io.unwind.chain.Web3jChainClient;
import io.unwind.chain.vault.TokenCatalog;
import io.unwind.chain.vault.VaultCalls;
import io.unwind.chain.vault.VaultEvents;
import io.unwind.chain.vault.VaultLensReader;
import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.BlockRef;
import io.unwind.domain.chain.TxHash;
import io.unwind.domain.money.Wei;
import io.unwind.domain.plan.ActReason;
import io.unwind.domain.position.Guard;
import io.unwind.domain.position.Ltv;
import io.unwind.domain.position.Policy;
import io.unwind.domain.position.PriceStatus;
import io.unwind.domain.position.SoftTrigger;
import io.unwind.domain.position.VaultHealth;
import io.unwind.domain.tx.TxKind;
import io.unwind.engine.KeeperEvents;
import io.unwind.engine.RouteFinder;
import io.unwind.engine.VaultOutcome;
import io.unwind.local.DevWallet;
import io.unwind.local.Liquidator;
import io.unwind.local.LocalChain;
import io.unwind.local.LocalMarket;
import io.unwind.local.MarketDeployment;
import io.unwind.local.PriceMover;
import io.unwind.local.VaultSetup;
import io.unwind.local.aggregator.AggregatorEmulator;
import io.unwind.route.aggregator.SwapCalldata;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * Plays a scenario on a local chain against the real keeper: anvil with the scenario's market and vaults, the same
 * {@link KeeperNode} {@code unwind run} starts, and the price path played block by block (the feed updated, the pools
 * arbitraged to it), with a liquidator that liquidates every vault Morpho lets it. The chain mines only when the
 * simulator says so, after the keeper has finished its tick on the previous block, so a run is repeatable and an action
 * sent at block b is in block b + 1 at the earliest.
 */
public final class SimulationRunner {
    private static final int KEEPER_ACCOUNT = 3;

    /** How a run is watched: a line per notable event (the demo's timeline) and the keeper's own HTTP port. */
    public interface Listener {
        default void setUp(Scenario s, MarketDeployment m, Map<Address, String> names, KeeperNode node) {}

        default void block(long block, BigDecimal price, Map<String, BigDecimal> ltvs) {}

        default void event(long block, String text) {}

        /**
         * A block in which more than one protected vault had a keeper action mined or was over its trigger: how many
         * were deleveraged in it, and how many are over their trigger with nothing mined for them in it.
         */
        default void fleet(long block, int deleveraged, int waiting) {}

        /** The emulated aggregators, when the scenario has any (a test may change how they behave mid-run). */
        default void aggregators(AggregatorEmulator emulator) {}

        /** Every routing round of the keeper, with the ranked and rejected routes. */
        default void routed(VaultHealth h, RouteFinder.Found found) {}
    }

    public record Options(Optional<Integer> httpPort, Duration tickTimeout) {
        public static Options defaults() {
            return new Options(Optional.empty(), Duration.ofSeconds(60));
        }
    }

    private final Scenario scenario;
    private final Options options;
    private final Listener listener;
    /** Why the keeper last acted on each vault (the hard trigger, or a prediction), for the report's actions. */
    private final Map<Address, ActReason> reasons = new ConcurrentHashMap<>();

    public SimulationRunner(Scenario scenario, Options options, Listener listener) {
        this.scenario = scenario;
        this.options = options;
        this.listener = listener;
    }

    private static final class VaultTrack {
        final String name;
        final Address address;
        final boolean keeper;
        final BigDecimal trigger;
        /** The market it is on. */
        final Market market;

        BigDecimal maxLtv = BigDecimal.ZERO;
        BigDecimal lastLtv = BigDecimal.ZERO;
        BigDecimal equityStart;
        BigDecimal equityEnd;
        Long crossedAt;
        Long liquidatedAt;
        final List<SimulationReport.Action> actions = new ArrayList<>();
        /**
         * Ticks in which the keeper did not act on the vault over its trigger, by why (written by the keeper's thread).
         */
        final Map<String, Integer> holds = new ConcurrentHashMap<>();

        PriceStatus priceStatus = PriceStatus.OK;

        /** Its owner's name in the scenario. */
        final String owner;

        /** Its hedge's policy in the scenario, and once opened the hedge as played; null without one. */
        Scenario.HedgeSpec hedgeSpec;

        HedgeTrack hedge;

        VaultTrack(String name, Address address, boolean keeper, BigDecimal trigger, Market market, String owner) {
            this.name = name;
            this.address = address;
            this.keeper = keeper;
            this.trigger = trigger;
            this.market = market;
            this.owner = owner;
        }
    }

    /** A vault's hedge as played: its address and margin, and its figures so far (loan-token units). */
    private static final class HedgeTrack {
        final Address address;
        final BigDecimal margin;
        BigDecimal equityStart = BigDecimal.ZERO;
        BigDecimal equityEnd = BigDecimal.ZERO;
        BigDecimal maxNotional = BigDecimal.ZERO;
        BigDecimal maxRatio = BigDecimal.ZERO;
        BigDecimal maxLtv = BigDecimal.ZERO;
        BigDecimal finalNotional = BigDecimal.ZERO;
        BigDecimal fundingCost = BigDecimal.ZERO;
        /** C borrowed by opens, C repaid by buy-backs, L released: interest is what the debt holds beyond them. */
        BigInteger borrowed = BigInteger.ZERO;

        BigInteger repaid = BigInteger.ZERO;
        BigInteger released = BigInteger.ZERO;

        HedgeTrack(Address address, BigDecimal margin) {
            this.address = address;
            this.margin = margin;
        }
    }

    /**
     * One of the scenario's markets as played: its deployment, and (once playing) its own price mover, liquidator and
     * price path so far. Every market is on the same Morpho and the same Uniswap deployment (see
     * {@link LocalMarket#deployAlongside}).
     */
    private static final class Market {
        final Scenario.ScenarioMarket spec;
        MarketDeployment m;
        final List<SimulationReport.PriceStep> steps = new ArrayList<>();
        PriceMover mover;
        Liquidator liquidator;
        /** An Aave V3 market: its pool (else none), the Unwind vault factory over it, and its liquidator. */
        io.unwind.local.AaveDeployment aave;

        Address aaveFactory;
        io.unwind.local.AaveLiquidator aaveLiquidator;
        BigDecimal price;
        /** The feed's (and so the market oracle's) last answer. */
        BigDecimal published;

        Market(Scenario.ScenarioMarket spec, MarketDeployment m) {
            this.spec = spec;
            this.m = m;
        }
    }

    public SimulationReport run() {
        List<String> chains = scenario.chains();
        if (chains.size() > 1) return runChains(chains);
        try (LocalChain chain = LocalChain.start(LocalChain.Options.defaults().withFifoOrder())) {
            SimulationReport r = run(chain);
            return chains.isEmpty() ? r : onChains(r, List.of(new Ran(chains.get(0), chain.chainId(), r)));
        }
    }

    /** The local chain ids of a scenario's chains, in order: the ids the keeper may sign for with development keys. */
    static final List<Long> CHAIN_IDS = List.of(io.unwind.domain.chain.ChainId.ANVIL.value(), 1337L);

    private record Ran(String name, long chainId, SimulationReport report) {}

    /**
     * A scenario whose markets are on several chains: each chain is its own anvil (ids {@link #CHAIN_IDS}) with its
     * markets, vaults and keeper node, all played at once in this one process (as `unwind run` runs one keeper per
     * chain of its config); the report is theirs together, each vault with its chain.
     */
    private SimulationReport runChains(List<String> chains) {
        if (chains.size() > CHAIN_IDS.size())
            throw new IllegalArgumentException("a scenario plays at most " + CHAIN_IDS.size() + " chains");
        List<java.util.concurrent.CompletableFuture<Ran>> running = new ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < chains.size(); i++) {
                String name = chains.get(i);
                long id = CHAIN_IDS.get(i);
                Options own = new Options(options.httpPort().map(p -> p + running.size()), options.tickTimeout());
                SimulationRunner runner =
                        new SimulationRunner(scenario.forChain(name), own, new OnChain(name, listener));
                running.add(java.util.concurrent.CompletableFuture.supplyAsync(
                        () -> {
                            try (LocalChain chain = LocalChain.start(LocalChain.Options.defaults()
                                    .withFifoOrder()
                                    .withChainId(id))) {
                                return new Ran(name, id, runner.run(chain));
                            }
                        },
                        pool));
            }
            List<Ran> ran = new ArrayList<>();
            for (var f : running) ran.add(f.join());
            return onChains(ran.get(0).report(), ran);
        }
    }

    /** The chains' reports as one: every vault with its chain, the keeper's totals, and each chain's own summary. */
    private SimulationReport onChains(SimulationReport first, List<Ran> ran) {
        List<SimulationReport.Vault> vaults = new ArrayList<>();
        List<SimulationReport.Market> markets = new ArrayList<>();
        List<SimulationReport.Portfolio> portfolios = new ArrayList<>();
        List<SimulationReport.ChainRun> runs = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        long blocks = 0;
        for (Ran r : ran) {
            r.report().vaults().forEach(v -> vaults.add(v.onChain(r.name())));
            markets.addAll(r.report().markets());
            portfolios.addAll(r.report().portfolios());
            runs.add(new SimulationReport.ChainRun(
                    r.name(), r.chainId(), r.report().keeper()));
            if (r.report().error() != null)
                errors.add(r.name() + ": " + r.report().error());
            blocks = Math.max(blocks, r.report().blocks());
        }
        return new SimulationReport(
                first.scenario(),
                blocks,
                first.collateral(),
                first.loan(),
                vaults,
                keeperTotals(ran.stream().map(r -> r.report().keeper()).toList(), (int) vaults.stream()
                        .filter(v -> v.keeper() && v.actions().stream().anyMatch(a -> !a.reverted()))
                        .count()),
                first.prices(),
                errors.isEmpty() ? null : String.join("; ", errors),
                markets,
                portfolios,
                runs);
    }

    /**
     * The keeper's summary over several chains: counts and gas added up; the reaction blocks' maximum is the largest
     * and their median the larger of the chains' medians (each chain's own is in {@code chains}).
     */
    static SimulationReport.Keeper keeperTotals(List<SimulationReport.Keeper> ks, int actedVaults) {
        Long max = ks.stream()
                .map(k -> k.reactionBlocks().max())
                .filter(java.util.Objects::nonNull)
                .max(Long::compare)
                .orElse(null);
        Long p50 = ks.stream()
                .map(k -> k.reactionBlocks().p50())
                .filter(java.util.Objects::nonNull)
                .max(Long::compare)
                .orElse(null);
        int samples = ks.stream().mapToInt(k -> k.reactionBlocks().samples()).sum();
        long gas = ks.stream().mapToLong(SimulationReport.Keeper::gasUsed).sum();
        return new SimulationReport.Keeper(
                ks.get(0).address(),
                new SimulationReport.ReactionBlocks(max, p50, samples),
                ks.stream().mapToInt(SimulationReport.Keeper::actions).sum(),
                ks.stream().mapToInt(SimulationReport.Keeper::protectedVaults).sum(),
                ks.stream()
                        .mapToInt(SimulationReport.Keeper::protectedLiquidated)
                        .sum(),
                ks.stream()
                        .mapToInt(SimulationReport.Keeper::unprotectedLiquidated)
                        .sum(),
                ks.stream().mapToInt(SimulationReport.Keeper::sends).sum(),
                ks.stream().mapToInt(SimulationReport.Keeper::reverted).sum(),
                gas,
                actedVaults == 0 ? null : Math.round((double) gas / actedVaults));
    }

    /**
     * A listener for one chain of several: it is set up once per chain, its vaults named "chain/vault", and its events
     * start with the chain, one line at a time.
     */
    private record OnChain(String chain, Listener to) implements Listener {
        @Override
        public void setUp(Scenario s, MarketDeployment m, Map<Address, String> names, KeeperNode node) {
            Map<Address, String> named = new LinkedHashMap<>();
            names.forEach((a, n) -> named.put(a, chain + "/" + n));
            synchronized (to) {
                to.setUp(s, m, named, node);
            }
        }

        @Override
        public void block(long block, BigDecimal price, Map<String, BigDecimal> ltvs) {
            Map<String, BigDecimal> named = new LinkedHashMap<>();
            ltvs.forEach((k, v) -> named.put(chain + "/" + k, v));
            synchronized (to) {
                to.block(block, price, named);
            }
        }

        @Override
        public void event(long block, String text) {
            synchronized (to) {
                to.event(block, "[" + chain + "] " + text);
            }
        }

        @Override
        public void fleet(long block, int deleveraged, int waiting) {
            synchronized (to) {
                to.fleet(block, deleveraged, waiting);
            }
        }

        @Override
        public void routed(VaultHealth h, RouteFinder.Found found) {
            to.routed(h, found);
        }
    }

    private SimulationReport run(LocalChain chain) {
        Web3j web3j = Web3j.build(new HttpService(chain.httpUrl().toString()));
        Web3jChainClient client = Web3jChainClient.single(chain.chainId(), chain.httpUrl());
        try {
            fundOwners(chain);
            List<Market> markets = deployMarkets(web3j, chain.chainId());
            MarketDeployment m = markets.get(0).m;
            Address keeperAddress =
                    LocalChain.devSigner(KEEPER_ACCOUNT, chain.chainId()).address();
            List<VaultTrack> tracks = openVaults(web3j, markets, keeperAddress);
            linkOwners(web3j, m.chainId(), tracks);
            openHedges(web3j, m.chainId(), tracks);
            hedgeReads = new io.unwind.chain.vault.HedgeReads(client);
            // The market is set up: from here on a failure (a keeper that stops ticking, a move never mined, a revert)
            // ends the run with a report of what was played until then, its error named. A scenario the chain cannot
            // set up is still an exception: nothing was played.
            Played played = new Played(new KeeperTransactions(web3j, keeperAddress));
            try {
                play(chain, web3j, client, markets, keeperAddress, tracks, played);
                return report(markets, tracks, played, keeperAddress, null);
            } catch (RuntimeException e) {
                if (!played.ended) endEquity(client, m, keeperAddress, tracks);
                return report(markets, tracks, played, keeperAddress, describe(e, played));
            }
        } finally {
            if (emulator != null) emulator.close();
            client.close();
            web3j.shutdown();
        }
    }

    /** What a run has played so far: the report is built from it whether the run ends or stops. */
    private static final class Played {
        final KeeperTransactions scanner;
        final List<SimulationReport.PriceStep> steps = new ArrayList<>();
        /** Every keeper transaction mined, by hash, in block order. */
        final Map<String, KeeperTransactions.Mined> mined = new LinkedHashMap<>();
        /** Every transaction the keeper broadcast, by hash, from its journal (read before the keeper stops). */
        final java.util.Set<String> broadcast = new java.util.HashSet<>();
        /** The chain block of each step's last mined block, to name a keeper tick by its step. */
        final java.util.TreeMap<Long, Long> stepOfBlock = new java.util.TreeMap<>();
        /** The last step played to its end, and the one being played. */
        long blocks;

        long playing;
        /** The last chain block whose keeper transactions were collected. */
        long scannedTo;

        boolean ended;

        Played(KeeperTransactions scanner) {
            this.scanner = scanner;
        }
    }

    /** The most blocks mined after a step's block while the market's own transactions still wait in the pool. */
    static final int MAX_LATE_BLOCKS = 5;

    private void play(
            LocalChain chain,
            Web3j web3j,
            Web3jChainClient client,
            List<Market> markets,
            Address keeperAddress,
            List<VaultTrack> tracks,
            Played played) {
        MarketDeployment m = markets.get(0).m;
        Map<Address, String> names = new LinkedHashMap<>();
        tracks.forEach(t -> names.put(t.address, t.name));

        // The chain mines in arrival order, so a tip would not put the market's moves ahead of the keeper's
        // transactions; it would only raise the fee history the keeper prices its own tip from. A move that does not
        // fit in its block gets more blocks instead (mineLate).
        // One mover and one liquidator per market, on the same accounts: each sends its batch for a block after the
        // previous one's, and reads its nonce from the pool's pending count when it starts a batch.
        for (Market mk : markets) {
            mk.mover = new PriceMover(web3j, mk.m);
            if (mk.aave != null) mk.mover.withAave(mk.aave);
            mk.mover.noWait();
            mk.mover.prepare();
            if (mk.aave != null) {
                mk.aaveLiquidator = new io.unwind.local.AaveLiquidator(web3j, mk.aave);
                mk.aaveLiquidator.prepare();
                mk.aaveLiquidator.minedOnDemand();
            } else {
                mk.liquidator = new Liquidator(web3j, mk.m);
                mk.liquidator.prepare();
                mk.liquidator.minedOnDemand();
            }
        }
        // Every market is on the same Morpho: the one lens reads every vault.
        VaultLensReader lens = new VaultLensReader(client, m.vaultLens(), keeperAddress, new TokenCatalog(client), 500);

        Map<Address, String> routes = new ConcurrentHashMap<>();
        KeeperEvents capture = new KeeperEvents() {
            @Override
            public void acting(VaultHealth h, BlockRef block, ActReason reason) {
                reasons.put(h.vault(), reason);
            }

            @Override
            public void submitted(VaultHealth h, BlockRef block, TxKind kind, String route, Optional<TxHash> tx) {
                // A hedge's action is reported from its own events: the route map names the vault's sales.
                if (kind == TxKind.HEDGE || kind == TxKind.UNHEDGE || kind == TxKind.HEDGE_RELEASE) return;
                routes.put(h.vault(), route);
            }

            @Override
            public void routed(VaultHealth h, RouteFinder.Found found) {
                listener.routed(h, found);
            }
        };
        List<Address> watched =
                tracks.stream().filter(t -> t.keeper).map(t -> t.address).toList();
        emulator = scenario.aggregators().isEmpty() ? null : startAggregators(client, web3j, m, tracks);
        String journal = "jdbc:h2:mem:unwind-sim-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        UnwindConfig config = (emulator == null
                        ? LocalKeeperConfig.of(
                                chain,
                                markets.stream().map(x -> x.m).toList(),
                                scenario.market().price(),
                                watched,
                                KEEPER_ACCOUNT,
                                journal,
                                options.httpPort())
                        : LocalKeeperConfig.of(
                                chain,
                                m,
                                watched,
                                KEEPER_ACCOUNT,
                                journal,
                                options.httpPort(),
                                emulator,
                                scenario.aggregators(),
                                scenario.onChainRoutes()))
                .withChunking(scenario.chunking())
                .withScan(scenario.fullScanEveryBlocks(), 300)
                .withHedges(tracks.stream()
                        .filter(t -> t.hedge != null)
                        .map(t -> new io.unwind.app.config.UnwindConfig.Hedge(t.address, t.hedge.address))
                        .toList());
        try (KeeperNode node = new KeeperNode(
                config, LocalChain.devSigner(KEEPER_ACCOUNT, chain.chainId()), Clock.systemUTC(), capture)) {
            try {
                playBlocks(chain, client, node, lens, markets, names, watched, tracks, routes, played);
            } finally {
                readBroadcasts(node, played);
            }
        }
    }

    private void playBlocks(
            LocalChain chain,
            Web3jChainClient client,
            KeeperNode node,
            VaultLensReader lens,
            List<Market> markets,
            Map<Address, String> names,
            List<Address> watched,
            List<VaultTrack> tracks,
            Map<Address, String> routes,
            Played played) {
        AtomicLong ticked = new AtomicLong(-1);
        Map<Address, VaultTrack> byAddress = new HashMap<>();
        tracks.forEach(tr -> byAddress.put(tr.address, tr));
        java.util.Queue<String[]> firstHolds = new java.util.concurrent.ConcurrentLinkedQueue<>();
        node.onTick(r -> {
            for (VaultOutcome o : r.outcomes()) {
                VaultTrack tr = byAddress.get(o.vault());
                String why = holdKey(o);
                if (tr == null || why == null) continue;
                if (tr.holds.merge(why, 1, Integer::sum) == 1)
                    firstHolds.add(
                            new String[] {tr.name, why, Long.toString(r.block().number()), String.valueOf(o.detail())});
            }
            synchronized (ticked) {
                ticked.set(Math.max(ticked.get(), r.block().number()));
                ticked.notifyAll();
            }
        });
        node.start();
        listener.setUp(scenario, markets.get(0).m, names, node);

        BlockRef start = client.latestBlock();
        played.scannedTo = start.number();
        played.stepOfBlock.put(start.number(), 0L);
        record(lens, start, tracks, 0, true);
        for (Market mk : markets) {
            mk.price = mk.spec.priceAt(0);
            mk.published = mk.price;
            mk.steps.add(new SimulationReport.PriceStep(0, mk.price));
        }
        played.steps.add(new SimulationReport.PriceStep(0, scenario.priceAt(0)));
        if (!watched.isEmpty()) awaitTick(ticked, start.number());
        chain.setAutomine(false);
        long t = start.timestamp().getEpochSecond();
        long last = scenario.lastBlock() + scenario.settleBlocks();
        for (long b = 1; b <= last; b++) {
            played.playing = b;
            boolean frozen = scenario.feedFrozenAt(b);
            boolean wasFrozen = scenario.feedFrozenAt(b - 1);
            for (Market mk : markets) {
                BigDecimal p = mk.spec.priceAt(b);
                // A market is named in the timeline only when there are several.
                String feed = markets.size() == 1 ? "the price feed" : "the " + mk.spec.name() + " price feed";
                if (frozen) {
                    if (!wasFrozen)
                        listener.event(
                                b,
                                feed + " stops updating (the pools still move): it stays at "
                                        + mk.published
                                                .setScale(2, RoundingMode.HALF_UP)
                                                .toPlainString());
                    if (p.compareTo(mk.price) != 0) mk.mover.tradePoolsTo(p);
                } else {
                    if (p.compareTo(mk.price) != 0 || p.compareTo(mk.published) != 0) mk.mover.moveTo(p);
                    if (wasFrozen)
                        listener.event(
                                b,
                                feed + " updates again: "
                                        + p.setScale(2, RoundingMode.HALF_UP).toPlainString());
                    mk.published = p;
                }
                mk.price = p;
            }
            BigDecimal published = markets.get(0).published;
            scenario.baseFeeGweiAt(b)
                    .ifPresent(g -> chain.setNextBlockBaseFee(
                            Wei.parseGwei(g.setScale(9, RoundingMode.DOWN).toPlainString())));
            t += scenario.blockTime().toSeconds();
            chain.setNextBlockTimestamp(t);
            chain.mine(1);
            t = mineLate(chain, markets, b, t);
            for (Market mk : markets) {
                mk.mover.settle();
                if (mk.liquidator != null) mk.liquidator.settle();
                if (mk.aaveLiquidator != null) mk.aaveLiquidator.settle();
            }
            BlockRef head = client.latestBlock();
            played.stepOfBlock.put(head.number(), b);
            List<KeeperTransactions.Mined> mined = played.scanner.scan(played.scannedTo + 1, head.number());
            mined.forEach(x -> played.mined.put(x.hash(), x));
            java.util.Set<Address> acted = collectActions(client, played.scannedTo + 1, head, b, tracks, routes, mined);
            collectHedgeActions(client, played.scannedTo + 1, head, b, tracks, mined);
            played.scannedTo = head.number();
            List<VaultHealth> healths = record(lens, head, tracks, b, false);
            hedgeFigures(head, tracks, healths);
            collectReverted(mined, b, byAddress, routes);
            fleetLine(b, tracks, acted);
            liquidate(healths, tracks, b);
            Map<String, BigDecimal> ltvs = new LinkedHashMap<>();
            tracks.forEach(tr -> ltvs.put(tr.name, tr.lastLtv));
            listener.block(b, published, ltvs);
            played.steps.add(new SimulationReport.PriceStep(b, published));
            for (Market mk : markets) mk.steps.add(new SimulationReport.PriceStep(b, mk.published));
            played.blocks = b;
            if (!watched.isEmpty()) awaitTick(ticked, head.number());
            for (String[] h; (h = firstHolds.poll()) != null; ) {
                // A tick on a block mined late for a step belongs to that step.
                var step = played.stepOfBlock.ceilingEntry(Long.parseLong(h[2]));
                listener.event(
                        step == null ? b : step.getValue(),
                        h[0] + ": keeper holds (" + h[1] + "): " + shorten(h[3], 160));
            }
        }
        BlockRef end = client.latestBlock();
        record(lens, end, tracks, last, false);
        tracks.forEach(tr -> tr.equityEnd = equityOf(lens, end, tr.address, tr));
        reservesEnd(client);
        played.ended = true;
    }

    /**
     * Mines more blocks, {@link #MAX_LATE_BLOCKS} at most, while the step's price move or a liquidation sent for it is
     * still in the pool (a block full of keeper transactions ahead of them), rather than waiting for a receipt that
     * only another block brings. Returns the timestamp of the last block mined.
     */
    private long mineLate(LocalChain chain, List<Market> markets, long b, long t) {
        int late = 0;
        int waiting;
        while ((waiting = markets.stream()
                        .mapToInt(mk -> mk.mover.unmined()
                                + (mk.liquidator != null ? mk.liquidator.unmined() : mk.aaveLiquidator.unmined()))
                        .sum())
                > 0) {
            if (late == MAX_LATE_BLOCKS)
                throw new IllegalStateException(waiting + " price-move or liquidation transaction(s) of block " + b
                        + " not mined within " + MAX_LATE_BLOCKS + " more blocks");
            t += scenario.blockTime().toSeconds();
            chain.setNextBlockTimestamp(t);
            chain.mine(1);
            late++;
        }
        if (late > 0)
            listener.event(
                    b,
                    "the market's move landed " + late + " block(s) late: it did not fit in the block"
                            + (late == 1 ? "" : "s") + " before, full of transactions sent ahead of it");
        return t;
    }

    /** Reads which transactions the keeper broadcast from its journal; the mined ones count even if this fails. */
    private static void readBroadcasts(KeeperNode node, Played played) {
        try {
            for (var tx : node.journal().list(io.unwind.store.TxQuery.latest(1_000_000))) {
                for (var a : node.journal().attempts(tx.id())) {
                    if (a.firstSentAt().isPresent() || a.broadcastCount() > 0)
                        played.broadcast.add(a.hash().hex());
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot read the keeper's journal for its sends: {}", e.toString());
        }
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SimulationRunner.class);

    /** The error of a run that stopped, with the block it stopped on. */
    private static String describe(RuntimeException e, Played played) {
        String what = e.getMessage() == null ? e.toString() : e.getMessage();
        return "stopped at block " + played.playing + ": " + what;
    }

    /** The vaults' equity at the end of a run that stopped, when the chain still answers. */
    private void endEquity(Web3jChainClient client, MarketDeployment m, Address keeper, List<VaultTrack> tracks) {
        try {
            VaultLensReader lens = new VaultLensReader(client, m.vaultLens(), keeper, new TokenCatalog(client), 500);
            BlockRef end = client.latestBlock();
            tracks.forEach(tr -> tr.equityEnd = equityOf(lens, end, tr.address, tr));
            reservesEnd(client);
        } catch (RuntimeException e) {
            LOG.warn("cannot read the vaults' equity after the run stopped: {}", e.toString());
        }
    }

    /** A reverted keeper transaction on a vault is an action too: nothing sold, its gas paid. */
    private void collectReverted(
            List<KeeperTransactions.Mined> mined,
            long b,
            Map<Address, VaultTrack> byAddress,
            Map<Address, String> routes) {
        for (KeeperTransactions.Mined x : mined) {
            if (!x.reverted()) continue;
            if (List.of("hedge", "unhedge", "release").contains(x.kind())) {
                // A hedge's transaction goes to the hedge: reported on the vault it protects.
                tracksByHedge(byAddress).computeIfPresent(x.to(), (k, t) -> {
                    t.actions.add(new SimulationReport.Action(
                            b, x.kind(), "hedge", "0", "0", x.gasUsed(), x.hash(), t.lastLtv, t.lastLtv, true));
                    listener.event(b, t.name + ": keeper's " + x.kind() + " reverted (gas " + x.gasUsed() + ")");
                    return t;
                });
                continue;
            }
            VaultTrack t = x.to() == null ? null : byAddress.get(x.to());
            if (t == null) continue;
            SimulationReport.Action a = new SimulationReport.Action(
                    b,
                    x.kind().equals("topup") || x.kind().equals("move") ? x.kind() : "sell",
                    x.kind().equals("topup")
                            ? "reserve"
                            : x.kind().equals("move") ? "move" : routes.getOrDefault(t.address, "?"),
                    "0",
                    "0",
                    x.gasUsed(),
                    x.hash(),
                    t.lastLtv,
                    t.lastLtv,
                    true);
            a = a.because(reasons.getOrDefault(t.address, ActReason.TRIGGER));
            t.actions.add(a);
            listener.event(
                    b,
                    t.name + ": keeper's "
                            + switch (a.kind()) {
                                case "sell" -> "sale";
                                case "move" -> "move";
                                default -> "top-up";
                            }
                            + " reverted (gas "
                            + x.gasUsed() + ")");
        }
    }

    /**
     * One line for a block in which several protected vaults need the keeper: how many it deleveraged, how many are
     * still over their trigger with nothing mined for them.
     */
    private void fleetLine(long b, List<VaultTrack> tracks, java.util.Set<Address> acted) {
        int waiting = 0;
        for (VaultTrack t : tracks) {
            if (!t.keeper || t.trigger == null || acted.contains(t.address)) continue;
            if (t.liquidatedAt != null && t.liquidatedAt <= b) continue;
            if (t.lastLtv.compareTo(t.trigger) >= 0) waiting++;
        }
        if (acted.size() + waiting > 1) listener.fleet(b, acted.size(), waiting);
    }

    private AggregatorEmulator emulator;

    /**
     * Serves the scenario's aggregators over the local pools, with its faults, and has each protected vault's owner
     * also allow SwapRouter's multicall: the route an aggregator takes to split a sale across the V3 pools.
     */
    private AggregatorEmulator startAggregators(
            Web3jChainClient client, Web3j web3j, MarketDeployment m, List<VaultTrack> tracks) {
        AggregatorEmulator e = AggregatorEmulator.start(client, m, java.util.EnumSet.copyOf(scenario.aggregators()));
        scenario.aggregatorFaults().forEach(e::behave);
        DevWallet owner = new DevWallet(web3j, LocalChain.devAccount(2), m.chainId());
        byte[] multicall = java.util.HexFormat.of().parseHex(SwapCalldata.V3_MULTICALL.substring(2));
        for (VaultTrack t : tracks) {
            if (!t.keeper) continue;
            String allow = VaultCalls.setRoute(t.address, m.swapRouter(), multicall, true)
                    .hex();
            owner.send(t.address, allow, BigInteger.ZERO, BigInteger.valueOf(200_000));
        }
        owner.flush();
        listener.aggregators(e);
        return e;
    }

    /**
     * Every market of the scenario on one chain: Morpho markets on one Morpho, Aave V3 markets as reserve pairs on one
     * Aave pool (its tokens, feed and pools deployed as a market's are, with no Morpho liquidity), tokens shared by
     * symbol. With an Aave market, one lens reads every vault of both protocols.
     */
    private List<Market> deployMarkets(Web3j web3j, long chainId) {
        List<Market> markets = new ArrayList<>();
        io.unwind.local.AaveDeployment firstAave = null;
        for (Scenario.ScenarioMarket sm : scenario.markets()) {
            var spec = sm.protocol().aave() ? sm.spec().withMarketLiquidity(BigDecimal.ZERO) : sm.spec();
            MarketDeployment md = markets.isEmpty()
                    ? LocalMarket.deploy(web3j, chainId, spec)
                    : LocalMarket.deployAlongside(
                            web3j,
                            spec,
                            markets.get(0).m,
                            markets.stream().map(x -> x.m).toList());
            Market mk = new Market(sm, md);
            if (sm.protocol().aave()) {
                io.unwind.local.AaveSpec as = io.unwind.local.AaveSpec.defaults()
                        .withCollateralRisk(
                                bps(sm.protocol().maxBorrowLtv()),
                                bps(sm.spec().lltv()),
                                10_000 + bps(sm.protocol().liquidationBonus()))
                        .withLiquidity(sm.spec().marketLiquidity());
                mk.aave = firstAave == null
                        ? io.unwind.local.LocalAave.deploy(web3j, md, as)
                        : io.unwind.local.LocalAave.deployAlongside(web3j, md, as, firstAave);
                if (firstAave == null) firstAave = mk.aave;
            }
            markets.add(mk);
        }
        if (firstAave != null) {
            var unwind = io.unwind.local.LocalAave.deployUnwind(web3j, markets.get(0).m, firstAave);
            for (Market mk : markets) {
                mk.m = mk.m.withVaultLens(unwind.vaultLens());
                if (mk.aave == null) continue;
                mk.aaveFactory = unwind.vaultFactory();
                mk.m = mk.m.asMarket(
                        io.unwind.local.LocalAave.marketId(
                                mk.aave.pool(),
                                mk.m.loan().address(),
                                mk.m.collateral().address(),
                                0),
                        unwind.vaultFactory(),
                        mk.spec.spec().lltv().movePointRight(18).toBigIntegerExact());
            }
        }
        return markets;
    }

    /**
     * The account that owns a group's vaults: dev account 2 for the scenario's default owner (as before owners could be
     * named), else one key per owner name, derived from the name, so that every run of a file gives an owner the same
     * address.
     */
    static Credentials ownerAccount(String owner) {
        if (owner.equals(Scenario.VaultGroup.DEFAULT_OWNER)) return LocalChain.devAccount(2);
        byte[] key = org.web3j.crypto.Hash.sha3(
                ("unwind simulated owner " + owner).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return Credentials.create(org.web3j.crypto.ECKeyPair.create(key));
    }

    /** Named owners pay their vaults' gas like any owner: 1,000 ETH each on the local chain. */
    private void fundOwners(LocalChain chain) {
        for (String owner : scenario.owners()) {
            if (owner.equals(Scenario.VaultGroup.DEFAULT_OWNER)) continue;
            chain.setBalance(ownerAccount(owner).getAddress(), Wei.of(BigInteger.TEN.pow(21)));
        }
    }

    /** An owner's shared reserve on the local chain: its address, token, and balance at the start and the end. */
    private static final class SharedReserveTrack {
        final Address address;
        final io.unwind.domain.money.Token token;
        final BigInteger start;
        BigInteger end;

        SharedReserveTrack(Address address, io.unwind.domain.money.Token token, BigInteger start) {
            this.address = address;
            this.token = token;
            this.start = start;
            this.end = start;
        }
    }

    /** Each named owner's shared reserve, by owner name. */
    private final Map<String, SharedReserveTrack> sharedReserves = new LinkedHashMap<>();

    /**
     * What each owner of {@code owners:} sets across their vaults, as the owner would with the CLI: deploys and funds a
     * SharedReserve, gives each vault its limit and links it; with a move cap, lists the owner's vaults on one
     * collateral token as each other's move peers and sets the cap on each.
     */
    private void linkOwners(Web3j web3j, long chainId, List<VaultTrack> tracks) {
        for (String owner : scenario.owners()) {
            Optional<Scenario.OwnerSpec> spec = scenario.ownerSpec(owner);
            if (spec.isEmpty()) continue;
            List<VaultTrack> mine =
                    tracks.stream().filter(t -> t.owner.equals(owner)).toList();
            DevWallet wallet = new DevWallet(web3j, ownerAccount(owner), chainId);
            if (spec.get().reserve().signum() > 0) {
                io.unwind.domain.money.Token loan = mine.get(0).market.m.loan();
                if (mine.stream().anyMatch(t -> !t.market.m.loan().address().equals(loan.address()))) {
                    throw new IllegalArgumentException("owner " + owner
                            + " has a shared reserve but vaults with different loan tokens: one reserve holds one");
                }
                BigInteger fund =
                        spec.get().reserve().movePointRight(loan.decimals()).toBigIntegerExact();
                BigInteger limit = spec.get()
                        .limit()
                        .map(l -> l.movePointRight(loan.decimals()).toBigIntegerExact())
                        .orElse(fund);
                Address reserve = io.unwind.local.SharedReserveSetup.reserve(
                        wallet,
                        loan,
                        fund,
                        limit,
                        mine.stream().map(t -> t.address).toList());
                sharedReserves.put(owner, new SharedReserveTrack(reserve, loan, fund));
            }
            int cap = spec.get().moveCapBps();
            if (cap > 0) {
                // Peers share a collateral token: one list per token the owner's vaults hold.
                Map<Address, List<Address>> byCollateral = new LinkedHashMap<>();
                for (VaultTrack t : mine) {
                    byCollateral
                            .computeIfAbsent(t.market.m.collateral().address(), k -> new ArrayList<>())
                            .add(t.address);
                }
                for (List<Address> group : byCollateral.values()) {
                    io.unwind.local.SharedReserveSetup.movePeers(wallet, group, cap);
                }
            }
            wallet.flush();
        }
    }

    /** Reads the hedges during the run. */
    private io.unwind.chain.vault.HedgeReads hedgeReads;

    /** The dev account that opens each reverse market and lends the collateral token in it. */
    private static final int HEDGE_MARKET_ACCOUNT = 6;

    /**
     * For every vault with a hedge in its policy: the reverse market of its market (one per market, with lenders of the
     * collateral token: ten times the largest shorts the hedges may take, so that the short pays the rate model at a
     * tenth of its use), then the owner's UnwindHedge with its policy and margin, as the owner would deploy and fund
     * it.
     */
    private void openHedges(Web3j web3j, long chainId, List<VaultTrack> tracks) {
        Map<Market, List<VaultTrack>> byMarket = new LinkedHashMap<>();
        for (VaultTrack t : tracks) {
            if (t.hedgeSpec != null)
                byMarket.computeIfAbsent(t.market, k -> new ArrayList<>()).add(t);
        }
        if (byMarket.isEmpty()) return;
        DevWallet maker = new DevWallet(web3j, LocalChain.devAccount(HEDGE_MARKET_ACCOUNT), chainId);
        for (var e : byMarket.entrySet()) {
            MarketDeployment md = e.getKey().m;
            BigDecimal shorts = BigDecimal.ZERO;
            for (VaultTrack t : e.getValue()) {
                Scenario.VaultGroup g = groupOf(t);
                shorts = shorts.add(g.collateral().multiply(t.hedgeSpec.maxRatio()));
            }
            BigInteger lend = shorts.multiply(BigDecimal.TEN)
                    .movePointRight(md.collateral().decimals())
                    .setScale(0, RoundingMode.UP)
                    .toBigIntegerExact();
            var reverse = io.unwind.local.HedgeSetup.reverseMarket(maker, maker, md, lend);
            maker.flush();
            for (VaultTrack t : e.getValue()) {
                Scenario.HedgeSpec hs = t.hedgeSpec;
                Scenario.PolicySpec ps = groupOf(t).policy().orElseThrow();
                var policy = new io.unwind.domain.hedge.HedgePolicy(
                        bps(hs.maxRatio()),
                        bps(hs.open()),
                        bps(hs.trigger()),
                        bps(hs.target()),
                        hs.maxSlippageBps(),
                        Math.min(ps.maxFeeBps(), 100),
                        hs.cooldown());
                DevWallet owner = new DevWallet(web3j, ownerAccount(t.owner), chainId);
                BigInteger margin = hs.margin()
                        .movePointRight(md.loan().decimals())
                        .setScale(0, RoundingMode.DOWN)
                        .toBigIntegerExact();
                Address hedge = io.unwind.local.HedgeSetup.hedge(owner, md, reverse, t.address, policy, margin);
                owner.flush();
                t.hedge = new HedgeTrack(hedge, hs.margin());
            }
        }
    }

    private static Map<Address, VaultTrack> tracksByHedge(Map<Address, VaultTrack> byVault) {
        Map<Address, VaultTrack> out = new HashMap<>();
        for (VaultTrack t : byVault.values()) if (t.hedge != null) out.put(t.hedge.address, t);
        return out;
    }

    /** The scenario group a track was opened from. */
    private Scenario.VaultGroup groupOf(VaultTrack t) {
        for (Scenario.VaultGroup g : scenario.vaults()) {
            if (t.name.equals(g.name()) || t.name.startsWith(g.name() + "-")) return g;
        }
        throw new IllegalStateException("no group for vault " + t.name);
    }

    /** The keeper's hedge actions mined in blocks {@code from}..head, from the hedges' own events. */
    private void collectHedgeActions(
            Web3jChainClient client,
            long from,
            BlockRef head,
            long b,
            List<VaultTrack> tracks,
            List<KeeperTransactions.Mined> mined) {
        Map<Address, VaultTrack> byHedge = new HashMap<>();
        for (VaultTrack t : tracks) if (t.hedge != null) byHedge.put(t.hedge.address, t);
        if (byHedge.isEmpty()) return;
        Map<String, Long> gasByHash = new HashMap<>();
        mined.forEach(x -> gasByHash.put(x.hash(), x.gasUsed()));
        List<Receipt.LogEntry> logs = client.logs(
                List.copyOf(byHedge.keySet()), io.unwind.chain.vault.HedgeEvents.topics(), from, head.number());
        for (Receipt.LogEntry l : logs) {
            var a = io.unwind.chain.vault.HedgeEvents.decode(l).orElse(null);
            VaultTrack t = byHedge.get(l.address());
            if (a == null || t == null) continue;
            switch (a.kind()) {
                case "hedge" -> t.hedge.borrowed = t.hedge.borrowed.add(a.assets());
                case "unhedge" -> t.hedge.repaid = t.hedge.repaid.add(a.repaid());
                default -> t.hedge.released = t.hedge.released.add(a.quote());
            }
            var ms = t.market.spec.spec();
            SimulationReport.Action action = SimulationReport.Action.hedge(
                    b,
                    a.kind(),
                    new SimulationReport.HedgeMove(
                            a.assets().toString(),
                            a.quote().toString(),
                            a.keeperFee().toString(),
                            fraction(a.ltvAfter())),
                    l.txHash() == null ? 0 : gasByHash.getOrDefault(l.txHash().hex(), 0L),
                    String.valueOf(l.txHash()),
                    t.lastLtv,
                    // An open is early by nature: on the risk model's prediction with a soft trigger, else on the
                    // owner's open LTV alone (reported as at a trigger, the hedge's own).
                    a.kind().equals("hedge")
                                    && groupOf(t)
                                            .policy()
                                            .flatMap(Scenario.PolicySpec::softTrigger)
                                            .isPresent()
                            ? "predicted"
                            : "trigger");
            t.actions.add(action);
            String c = ms.collateral().symbol();
            String q = ms.loan().symbol();
            listener.event(
                    b,
                    t.name + ": keeper "
                            + switch (a.kind()) {
                                case "hedge" ->
                                    "hedged: shorted "
                                            + human(a.assets(), ms.collateral().decimals()) + " " + c + " for "
                                            + human(a.quote(), ms.loan().decimals()) + " " + q;
                                case "unhedge" ->
                                    "bought back "
                                            + human(a.assets(), ms.collateral().decimals()) + " " + c
                                            + " of the short for "
                                            + human(a.quote(), ms.loan().decimals()) + " " + q;
                                default ->
                                    "released " + human(a.quote(), ms.loan().decimals()) + " " + q
                                            + " of hedge profit to the vault's reserve";
                            }
                            + ", hedge LTV " + pct(fraction(a.ltvAfter())) + " (gas " + action.gasUsed() + ")");
        }
    }

    /** Each shared reserve's balance at the end of the run. */
    private void reservesEnd(Web3jChainClient client) {
        io.unwind.chain.vault.VaultReads reads = new io.unwind.chain.vault.VaultReads(client);
        for (SharedReserveTrack r : sharedReserves.values()) {
            r.end = reads.balanceOf(r.token.address(), r.address);
        }
    }

    /** Opens every group's vaults on its market, market by market; returns them in the scenario's order. */
    private List<VaultTrack> openVaults(Web3j web3j, List<Market> markets, Address keeper) {
        List<VaultSetup.Request> requests = new ArrayList<>();
        List<VaultTrack> tracks = new ArrayList<>();
        for (Scenario.VaultGroup g : scenario.vaults()) {
            Scenario.ScenarioMarket on = scenario.marketOf(g);
            Market market = markets.stream()
                    .filter(x -> x.spec.name().equals(on.name()))
                    .findFirst()
                    .orElseThrow();
            for (int i = 1; i <= g.count(); i++) {
                String name = g.count() == 1 ? g.name() : g.name() + "-" + i;
                VaultSetup.Request r = VaultSetup.Request.of(
                                ownerAccount(g.owner()),
                                g.collateral().toPlainString(),
                                g.ltv().toPlainString())
                        .withReserve(g.reserve());
                if (g.policy().isPresent()) r = r.withPolicy(policy(g.policy().get()));
                if (g.policy().flatMap(Scenario.PolicySpec::softTrigger).isPresent()) {
                    r = r.withSoftTrigger(softTrigger(g.policy().get()));
                }
                if (g.guard().isPresent()) r = r.withGuard(guard(g.guard().get(), market.m));
                if (g.keeper()) r = r.withKeeper(keeper);
                requests.add(r);
                VaultTrack track = new VaultTrack(
                        name,
                        null,
                        g.keeper(),
                        g.policy().map(Scenario.PolicySpec::trigger).orElse(null),
                        market,
                        g.owner());
                track.hedgeSpec = g.policy().flatMap(Scenario.PolicySpec::hedge).orElse(null);
                tracks.add(track);
            }
        }
        Address[] addresses = new Address[tracks.size()];
        for (Market market : markets) {
            List<Integer> mine = new ArrayList<>();
            for (int i = 0; i < tracks.size(); i++) if (tracks.get(i).market == market) mine.add(i);
            if (mine.isEmpty()) continue;
            List<Address> opened = new VaultSetup(web3j, market.m, Optional.ofNullable(market.aaveFactory))
                    .openAll(
                            mine.stream().map(requests::get).toList(),
                            market.spec.spec().price());
            for (int j = 0; j < mine.size(); j++) addresses[mine.get(j)] = opened.get(j);
        }
        List<VaultTrack> out = new ArrayList<>();
        for (int i = 0; i < tracks.size(); i++) {
            VaultTrack t = tracks.get(i);
            VaultTrack opened = new VaultTrack(t.name, addresses[i], t.keeper, t.trigger, t.market, t.owner);
            opened.hedgeSpec = t.hedgeSpec;
            out.add(opened);
        }
        return out;
    }

    static Policy policy(Scenario.PolicySpec p) {
        return new Policy(
                bps(p.trigger()),
                bps(p.target()),
                bps(p.band()),
                p.maxSlippageBps(),
                p.maxFeeBps(),
                p.maxSellBps(),
                p.cooldown(),
                Wei.parseGwei(p.maxGasPriceGwei().toPlainString()));
    }

    /** The soft trigger a scenario's policy names, in the vault's basis points. */
    static SoftTrigger softTrigger(Scenario.PolicySpec p) {
        return new SoftTrigger(bps(p.softTrigger().orElseThrow()), bps(p.maxLiquidationProbability()));
    }

    /** The guard a scenario's vault sets: the market's own feed, or none. */
    static Guard guard(Scenario.GuardSpec g, MarketDeployment m) {
        return new Guard(
                g.marketFeed() ? m.feed() : Address.ZERO,
                g.maxPriceAge(),
                g.maxPriceDeviationBps(),
                g.sellWindow(),
                g.maxWindowSellBps());
    }

    /**
     * Why the keeper did not act on a vault in a tick, in words that do not depend on the planner's enum: a hold's
     * reason as the keeper words it ("cooling down", "price stale"), "would revert: PriceStale" for a refused
     * simulation, or the outcome's own words; null when it acted, waited for its transaction, or had nothing to do.
     */
    static String holdKey(VaultOutcome o) {
        String detail = o.detail() == null ? "" : o.detail();
        return switch (o.kind()) {
            case HEALTHY, SUBMITTED, IN_FLIGHT -> null;
            case HELD -> {
                int colon = detail.indexOf(':');
                yield colon < 0 ? detail : detail.substring(0, colon);
            }
            // Each route refused, or the exact call refused: named by the vault's error when one was given.
            case NO_ROUTE, SIMULATION_REVERTED -> {
                java.util.regex.Matcher m = CONTRACT_ERROR.matcher(detail);
                yield o.kind().describe() + (m.find() ? ": " + m.group(1) : "");
            }
            default -> o.kind().describe();
        };
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    /** A contract error as Reverts.explain writes it: "PriceStale(updatedAt=..., maxAge=30)". */
    private static final java.util.regex.Pattern CONTRACT_ERROR =
            java.util.regex.Pattern.compile("\\b([A-Z][A-Za-z0-9]+)\\(");

    private static int bps(BigDecimal fraction) {
        return fraction.movePointRight(4).setScale(0, RoundingMode.HALF_UP).intValueExact();
    }

    private void awaitTick(AtomicLong ticked, long block) {
        long deadline = System.nanoTime() + options.tickTimeout().toNanos();
        synchronized (ticked) {
            while (ticked.get() < block) {
                long left = deadline - System.nanoTime();
                if (left <= 0)
                    throw new IllegalStateException(
                            "the keeper did not tick on block " + block + " within " + options.tickTimeout());
                try {
                    TimeUnit.NANOSECONDS.timedWait(ticked, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        }
    }

    private List<VaultHealth> record(
            VaultLensReader lens, BlockRef head, List<VaultTrack> tracks, long step, boolean first) {
        var scan = lens.read(tracks.stream().map(t -> t.address).toList(), head);
        Map<Address, VaultHealth> byVault = new HashMap<>();
        scan.vaults().forEach(h -> byVault.put(h.vault(), h));
        for (VaultTrack t : tracks) {
            VaultHealth h = byVault.get(t.address);
            if (h == null) continue;
            BigDecimal ltv = fraction(h.ltv());
            t.lastLtv = ltv;
            if (ltv.compareTo(t.maxLtv) > 0) t.maxLtv = ltv;
            if (first) {
                t.equityStart = equity(h);
                if (t.hedge != null) {
                    t.hedge.equityStart = hedgeEquity(t, head, h);
                    t.equityStart = t.equityStart.add(t.hedge.equityStart);
                }
            }
            PriceStatus status = h.guard().priceStatus();
            if (h.guard().guard().hasFeed() && status != t.priceStatus) {
                listener.event(
                        step,
                        t.name + ": price guard "
                                + (status.ok()
                                        ? "fresh again: keepers may act"
                                        : status.name().replace('_', ' ') + " (" + status.describe()
                                                + "): keepers held"));
            }
            t.priceStatus = status;
            if (t.trigger != null && t.crossedAt == null && ltv.compareTo(t.trigger) >= 0 && !first) {
                t.crossedAt = step;
                listener.event(step, t.name + " crosses its trigger: LTV " + pct(ltv));
            }
        }
        return scan.vaults();
    }

    /** Liquidates every vault Morpho lets the liquidator, each by its market's liquidator, market by market. */
    private void liquidate(List<VaultHealth> healths, List<VaultTrack> tracks, long b) {
        Map<Address, VaultTrack> byAddress = new HashMap<>();
        tracks.forEach(t -> byAddress.put(t.address, t));
        List<VaultHealth> ordered = new ArrayList<>(healths);
        // Each market's liquidations go out together, so a liquidator's batch is not interleaved with another's.
        List<Market> order = tracks.stream().map(t -> t.market).distinct().toList();
        ordered.sort(java.util.Comparator.comparingInt(h ->
                byAddress.containsKey(h.vault()) ? order.indexOf(byAddress.get(h.vault()).market) : Integer.MAX_VALUE));
        for (VaultHealth h : ordered) {
            VaultTrack own = byAddress.get(h.vault());
            if (h.liquidatable() && own != null) {
                String tx = own.market.aaveLiquidator != null
                        ? own.market.aaveLiquidator.liquidateIfPossible(h.vault())
                        : own.market.liquidator.liquidateIfPossible(h.vault(), h.collateral(), h.borrowShares());
                if (tx == null) continue;
                for (VaultTrack t : tracks) {
                    if (t.address.equals(h.vault()) && t.liquidatedAt == null) {
                        t.liquidatedAt = b + 1;
                        listener.event(
                                b + 1,
                                t.name + " is liquidated at LTV " + pct(fraction(h.ltv())) + " (LLTV "
                                        + pct(fraction(h.lltv())) + ")");
                    }
                }
            }
        }
    }

    /**
     * The keeper's actions mined in chain blocks {@code from} to {@code head} (one step: its block and any mined late),
     * from the vaults' KeeperAction events. Returns the vaults that had one.
     */
    private java.util.Set<Address> collectActions(
            Web3jChainClient client,
            long from,
            BlockRef head,
            long b,
            List<VaultTrack> tracks,
            Map<Address, String> routes,
            List<KeeperTransactions.Mined> mined) {
        java.util.Set<Address> acted = new java.util.LinkedHashSet<>();
        Map<String, Long> gasByHash = new HashMap<>();
        mined.forEach(x -> gasByHash.put(x.hash(), x.gasUsed()));
        List<Address> addresses = tracks.stream().map(t -> t.address).toList();
        List<Receipt.LogEntry> logs = client.logs(addresses, VaultEvents.keeperActionTopics(), from, head.number());
        for (Receipt.LogEntry l : logs) {
            VaultEvents.KeeperAction k = VaultEvents.keeperAction(l).orElseThrow();
            VaultTrack t = tracks.stream()
                    .filter(x -> x.address.equals(l.address()))
                    .findFirst()
                    .orElseThrow();
            Long known = l.txHash() == null ? null : gasByHash.get(l.txHash().hex());
            long gas = l.txHash() == null
                    ? 0
                    : known != null
                            ? known
                            : client.receipt(l.txHash())
                                    .map(r -> r.gasUsed().longValue())
                                    .orElse(0L);
            String source = k.movedFrom()
                    .map(f -> tracks.stream()
                            .filter(x -> x.address.equals(f))
                            .map(x -> x.name)
                            .findFirst()
                            .orElse(f.hex()))
                    .orElse(null);
            SimulationReport.Action a = k.move()
                    ? SimulationReport.Action.move(
                            b,
                            source,
                            k.collateralSold().toString(),
                            gas,
                            String.valueOf(l.txHash()),
                            fraction(k.ltvBefore()),
                            fraction(k.ltvAfter()))
                    : k.sale()
                            ? new SimulationReport.Action(
                                    b,
                                    "sell",
                                    routes.getOrDefault(t.address, "?"),
                                    k.collateralSold().toString(),
                                    k.debtRepaid().toString(),
                                    gas,
                                    String.valueOf(l.txHash()),
                                    fraction(k.ltvBefore()),
                                    fraction(k.ltvAfter()),
                                    false)
                            : new SimulationReport.Action(
                                    b,
                                    "topup",
                                    "reserve",
                                    "0",
                                    k.debtRepaid().toString(),
                                    gas,
                                    String.valueOf(l.txHash()),
                                    fraction(k.ltvBefore()),
                                    fraction(k.ltvAfter()),
                                    false);
            a = a.because(reasons.getOrDefault(t.address, ActReason.TRIGGER));
            t.actions.add(a);
            acted.add(t.address);
            listener.event(b, t.name + ": " + describe(a, t.market.spec.spec()));
        }
        return acted;
    }

    private static String describe(SimulationReport.Action a, io.unwind.local.MarketSpec ms) {
        if (a.kind().equals("move")) {
            return "keeper moved "
                    + human(new BigInteger(a.collateralMoved()), ms.collateral().decimals()) + " "
                    + ms.collateral().symbol() + " from " + a.from() + ", LTV " + pct(a.ltvBefore()) + " -> "
                    + pct(a.ltvAfter()) + " (gas " + a.gasUsed() + ")";
        }
        if (a.kind().equals("sell")) {
            return "keeper sold "
                    + human(new BigInteger(a.collateralSold()), ms.collateral().decimals()) + " "
                    + ms.collateral().symbol()
                    + " via " + a.route() + ", repaid "
                    + human(new BigInteger(a.debtRepaid()), ms.loan().decimals()) + " "
                    + ms.loan().symbol()
                    + ", LTV " + pct(a.ltvBefore()) + " -> " + pct(a.ltvAfter()) + " (gas " + a.gasUsed() + ")";
        }
        return "keeper topped up "
                + human(new BigInteger(a.debtRepaid()), ms.loan().decimals()) + " "
                + ms.loan().symbol() + " from the reserve, LTV " + pct(a.ltvBefore()) + " -> " + pct(a.ltvAfter())
                + " (gas " + a.gasUsed() + ")";
    }

    private BigDecimal equityOf(VaultLensReader lens, BlockRef head, Address vault, VaultTrack t) {
        var scan = lens.read(List.of(vault), head);
        if (scan.vaults().isEmpty()) return BigDecimal.ZERO;
        VaultHealth h = scan.vaults().get(0);
        if (t.hedge == null) return equity(h);
        t.hedge.equityEnd = hedgeEquity(t, head, h);
        hedgeFigures(head, List.of(t), List.of(h));
        var state = hedgeReads.read(t.hedge.address, head);
        BigInteger interest =
                state.shorted().subtract(t.hedge.borrowed).add(t.hedge.repaid).max(BigInteger.ZERO);
        t.hedge.fundingCost = loan(h, io.unwind.domain.position.Ltv.collateralValue(interest, h.price()));
        return equity(h).add(t.hedge.equityEnd);
    }

    /** The hedge's equity at {@code head}: margin and loose collateral less the short, at the vault's price. */
    private BigDecimal hedgeEquity(VaultTrack t, BlockRef head, VaultHealth h) {
        return loan(h, hedgeReads.read(t.hedge.address, head).equity(h.price()));
    }

    private static BigDecimal loan(VaultHealth h, BigInteger units) {
        return new BigDecimal(units).movePointLeft(h.loanToken().decimals()).setScale(2, RoundingMode.HALF_UP);
    }

    /** Each hedge's short against its vault at {@code head}: the largest value and ratio so far, and the last value. */
    private void hedgeFigures(BlockRef head, List<VaultTrack> tracks, List<VaultHealth> healths) {
        for (VaultTrack t : tracks) {
            if (t.hedge == null) continue;
            VaultHealth h = healths.stream()
                    .filter(x -> x.vault().equals(t.address))
                    .findFirst()
                    .orElse(null);
            if (h == null || !h.priceKnown()) continue;
            var state = hedgeReads.read(t.hedge.address, head);
            BigDecimal notional = loan(h, state.shortValue(h.price()));
            t.hedge.finalNotional = notional;
            if (notional.compareTo(t.hedge.maxNotional) > 0) t.hedge.maxNotional = notional;
            BigDecimal ratio =
                    BigDecimal.valueOf(state.ratioBps(h.collateral())).movePointLeft(4);
            if (ratio.compareTo(t.hedge.maxRatio) > 0) t.hedge.maxRatio = ratio;
            BigDecimal ltv =
                    fraction(state.ltv(h.price()).min(io.unwind.domain.position.Ltv.WAD.multiply(BigInteger.TEN)));
            if (ltv.compareTo(t.hedge.maxLtv) > 0) t.hedge.maxLtv = ltv;
        }
    }

    /**
     * Collateral value at the oracle price, minus debt, plus the reserve: what the owner would have, in loan tokens.
     */
    private static BigDecimal equity(VaultHealth h) {
        BigInteger units = Ltv.collateralValue(h.collateral(), h.price())
                .subtract(h.debt())
                .add(h.reserve());
        return new BigDecimal(units).movePointLeft(h.loanToken().decimals()).setScale(2, RoundingMode.HALF_UP);
    }

    private SimulationReport report(
            List<Market> markets, List<VaultTrack> tracks, Played played, Address keeper, String error) {
        MarketDeployment m = markets.get(0).m;
        List<SimulationReport.Vault> vaults = new ArrayList<>();
        List<Long> reactions = new ArrayList<>();
        int actions = 0;
        int actedVaults = 0;
        for (VaultTrack t : tracks) {
            List<SimulationReport.Action> done =
                    t.actions.stream().filter(a -> !a.reverted()).toList();
            if (t.keeper && t.crossedAt != null) {
                done.stream()
                        .filter(a -> a.block() >= t.crossedAt)
                        .findFirst()
                        .ifPresent(a -> reactions.add(a.block() - t.crossedAt));
            }
            actions += done.size();
            if (t.keeper && !done.isEmpty()) actedVaults++;
            vaults.add(new SimulationReport.Vault(
                    t.name,
                    t.address.hex(),
                    t.keeper,
                    t.liquidatedAt != null,
                    t.liquidatedAt,
                    t.maxLtv.setScale(4, RoundingMode.HALF_UP),
                    t.lastLtv.setScale(4, RoundingMode.HALF_UP),
                    t.equityStart,
                    t.equityEnd,
                    t.crossedAt,
                    List.copyOf(t.actions),
                    new java.util.TreeMap<>(t.holds),
                    t.market.spec.name(),
                    t.market.spec.protocol().protocol().id(),
                    t.owner));
            if (t.hedge != null) {
                HedgeTrack ht = t.hedge;
                BigDecimal released = new BigDecimal(ht.released)
                        .movePointLeft(t.market.m.loan().decimals())
                        .setScale(2, RoundingMode.HALF_UP);
                vaults.set(
                        vaults.size() - 1,
                        vaults.get(vaults.size() - 1)
                                .withHedge(new SimulationReport.Hedge(
                                        ht.address.hex(),
                                        ht.margin,
                                        ht.maxNotional,
                                        ht.maxRatio,
                                        ht.maxLtv,
                                        ht.equityStart,
                                        ht.equityEnd,
                                        released,
                                        ht.equityEnd.add(released).subtract(ht.equityStart),
                                        ht.fundingCost,
                                        ht.finalNotional)));
            }
        }
        reactions.sort(Long::compare);
        var reaction = new SimulationReport.ReactionBlocks(
                reactions.isEmpty() ? null : reactions.get(reactions.size() - 1),
                reactions.isEmpty() ? null : reactions.get((reactions.size() - 1) / 2),
                reactions.size());
        int prot = (int) tracks.stream().filter(t -> t.keeper).count();
        int protLiq = (int)
                tracks.stream().filter(t -> t.keeper && t.liquidatedAt != null).count();
        int unprotLiq = (int)
                tracks.stream().filter(t -> !t.keeper && t.liquidatedAt != null).count();
        // A mined transaction was broadcast, whether or not the journal could be read.
        java.util.Set<String> sends = new java.util.HashSet<>(played.broadcast);
        sends.addAll(played.mined.keySet());
        int reverted = (int) played.mined.values().stream()
                .filter(KeeperTransactions.Mined::reverted)
                .count();
        long gas = played.mined.values().stream()
                .mapToLong(KeeperTransactions.Mined::gasUsed)
                .sum();
        Long gasPerVault = actedVaults == 0 ? null : Math.round((double) gas / actedVaults);
        return new SimulationReport(
                scenario.name(),
                played.blocks,
                m.collateral().symbol(),
                m.loan().symbol(),
                vaults,
                new SimulationReport.Keeper(
                        keeper.hex(),
                        reaction,
                        actions,
                        prot,
                        protLiq,
                        unprotLiq,
                        sends.size(),
                        reverted,
                        gas,
                        gasPerVault),
                List.copyOf(played.steps),
                error,
                markets.stream()
                        .map(mk -> new SimulationReport.Market(
                                mk.spec.name(),
                                mk.m.collateral().symbol(),
                                mk.m.loan().symbol(),
                                List.copyOf(mk.steps),
                                mk.spec.protocol().protocol().id()))
                        .toList(),
                portfolios(vaults, tracks, sharedReserves));
    }

    /** Each owner's vaults per loan token, in the order owners and tokens are first met. */
    private static List<SimulationReport.Portfolio> portfolios(
            List<SimulationReport.Vault> vaults, List<VaultTrack> tracks, Map<String, SharedReserveTrack> reserves) {
        Map<String, List<Integer>> books = new LinkedHashMap<>();
        for (int i = 0; i < tracks.size(); i++) {
            VaultTrack t = tracks.get(i);
            books.computeIfAbsent(t.owner + "\u0000" + t.market.m.loan().symbol(), k -> new ArrayList<>())
                    .add(i);
        }
        List<SimulationReport.Portfolio> out = new ArrayList<>();
        for (List<Integer> book : books.values()) {
            VaultTrack first = tracks.get(book.get(0));
            BigDecimal start = BigDecimal.ZERO;
            BigDecimal end = BigDecimal.ZERO;
            List<String> names = new ArrayList<>();
            List<String> liquidated = new ArrayList<>();
            for (int i : book) {
                SimulationReport.Vault v = vaults.get(i);
                if (v.equityStart() != null) start = start.add(v.equityStart());
                if (v.equityEnd() != null) end = end.add(v.equityEnd());
                names.add(v.name());
                if (v.liquidated()) liquidated.add(v.name());
            }
            SharedReserveTrack r = reserves.get(first.owner);
            if (r != null && !r.token.address().equals(first.market.m.loan().address())) r = null;
            BigDecimal reserveStart = r == null ? null : new BigDecimal(r.start).movePointLeft(r.token.decimals());
            BigDecimal reserveEnd = r == null ? null : new BigDecimal(r.end).movePointLeft(r.token.decimals());
            out.add(new SimulationReport.Portfolio(
                    first.owner,
                    ownerAccount(first.owner).getAddress(),
                    first.market.m.loan().symbol(),
                    r == null ? start : start.add(reserveStart),
                    r == null ? end : end.add(reserveEnd),
                    names,
                    liquidated,
                    r == null ? null : r.address.hex(),
                    reserveStart,
                    reserveEnd));
        }
        return out;
    }

    static BigDecimal fraction(BigInteger wad) {
        if (wad.equals(Ltv.UINT256_MAX)) return new BigDecimal("999");
        return new BigDecimal(wad).movePointLeft(18).setScale(6, RoundingMode.HALF_UP);
    }

    static String pct(BigDecimal f) {
        return Ltv.percent(f, RoundingMode.HALF_UP);
    }

    static String human(BigInteger units, int decimals) {
        return io.unwind.domain.money.TokenAmount.displayDecimal(units, decimals)
                .toPlainString();
    }
}
