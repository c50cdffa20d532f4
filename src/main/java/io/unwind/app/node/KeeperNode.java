package io.unwind.app.node;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.unwind.app.Wiring;
import io.unwind.app.config.UnwindConfig;
import io.unwind.app.http.StatusPage;
import io.unwind.app.http.StatusServer;
import io.unwind.app.http.VaultHistory;
import io.unwind.app.metrics.ClusterMetrics;
import io.unwind.app.metrics.HedgeMetrics;
import io.unwind.app.metrics.JournalMetrics;
import io.unwind.app.metrics.KeeperMetrics;
import io.unwind.chain.CallResult;
import io.unwind.chain.HeadTracker;
import io.unwind.chain.RpcEndpoint;
import io.unwind.chain.RpcOutageLog;
import io.unwind.chain.Web3jChainClient;
import io.unwind.chain.vault.TokenCatalog;
import io.unwind.chain.vault.VaultLensReader;
import io.unwind.chain.vault.VaultSimulator;
import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.BlockRef;
import io.unwind.domain.fee.FeeCaps;
import io.unwind.domain.fee.FeeSettings;
import io.unwind.domain.money.Wei;
import io.unwind.domain.position.Ltv;
import io.unwind.engine.EngineSettings;
import io.unwind.engine.Keeper;
import io.unwind.engine.KeeperEvents;
import io.unwind.engine.MarketMaps;
import io.unwind.engine.RiskTracker;
import io.unwind.engine.RouteFinder;
import io.unwind.engine.TickResult;
import io.unwind.engine.TxSubmitter;
import io.unwind.engine.VaultDirectory;
import io.unwind.route.ContractCaller;
import io.unwind.route.RouteSource;
import io.unwind.route.UniswapV2Source;
import io.unwind.route.UniswapV3Source;
import io.unwind.route.aggregator.AggregatorSettings;
import io.unwind.route.aggregator.Aggregators;
import io.unwind.store.Database;
import io.unwind.store.Journal;
import io.unwind.store.JournalOutageLog;
import io.unwind.store.KeeperNodes;
import io.unwind.store.MarketRisk;
import io.unwind.tx.OrphanSweeper;
import io.unwind.tx.ReorgHook;
import io.unwind.tx.Signer;
import io.unwind.tx.TxManager;
import io.unwind.tx.TxMetrics;
import io.unwind.tx.TxSettings;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root of a running keeper: everything {@code unwind run} (and the simulator, which runs the same node
 * against a local chain) needs, built from the configuration by constructor injection, started in order and closed in
 * reverse.
 */
public final class KeeperNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KeeperNode.class);
    /** While an RPC endpoint stays down, the operator is reminded this often (with the count of failed ticks). */
    static final Duration OUTAGE_REMINDER_EVERY = Duration.ofSeconds(60);

    private final UnwindConfig config;
    private final Clock clock;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final CircuitBreakerRegistry breakers;
    private final Web3jChainClient chain;
    private final Database database;
    /** While the node runs, the connection pool's and Quartz's database failures are reported by its outage log. */
    private final AutoCloseable libraryLog;

    private final Journal journal;
    private final Signer signer;
    private final TxManager txManager;
    private final VaultLensReader lens;
    private final Keeper keeper;
    private final HeadTracker heads;
    /** Single node: ticks on every head. In a cluster, {@link #cluster} ticks partitions instead. */
    private final Optional<TickScheduler> scheduler;

    private final Optional<ClusterMember> cluster;
    private final Optional<StatusServer> http;
    private final List<Consumer<TickResult>> tickListeners = new CopyOnWriteArrayList<>();
    private volatile TickResult lastTick;
    /** LTV history and recent actions for the status page, in memory. */
    private final VaultHistory history = new VaultHistory(500, 720, 50);

    private final KeeperMetrics metrics;
    private final JournalOutageLog journalOutage;
    private final VaultDirectory directory;
    /** Whether a read of the vaults without a tick (the journal being down) is under way. */
    private final java.util.concurrent.atomic.AtomicBoolean readingWithoutTick =
            new java.util.concurrent.atomic.AtomicBoolean();
    /** Each watched market's latest liquidation map; refreshed by {@link #mapJob} off the tick's thread. */
    private final io.unwind.engine.MarketMaps marketMaps = new io.unwind.engine.MarketMaps();

    private final Optional<MarketMapJob> mapJob;
    /**
     * Whether the keeper can work: vaults to watch, gas money, allowed on its vaults (readiness and start-up warnings).
     */
    private final KeeperReadiness ableToWork;

    private final Object closing = new Object();
    private static final String SIGNALLED = "the process was asked to stop (SIGTERM or Ctrl-C)";
    private volatile boolean closed;
    private volatile Thread stopOnSignal;
    private final java.util.concurrent.atomic.AtomicLong balanceReadAt = new java.util.concurrent.atomic.AtomicLong();

    public KeeperNode(UnwindConfig config, Signer signer, Clock clock, KeeperEvents extraEvents) {
        this(config, signer, clock, extraEvents, java.util.Optional.empty());
    }

    /**
     * @param chainLabel with several chains in one process, this chain's name: every metric carries it as its
     *     {@code chain} label
     */
    public KeeperNode(
            UnwindConfig config,
            Signer signer,
            Clock clock,
            KeeperEvents extraEvents,
            java.util.Optional<String> chainLabel) {
        chainLabel.ifPresent(name -> registry.config().commonTags("chain", name));
        this.config = config;
        this.clock = clock;
        this.signer = signer;
        var c = config.chain();
        this.breakers = Web3jChainClient.breakers();
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(registry);
        // What is opened here (RPC clients, the journal's pool, Quartz, the status port) is closed again if a later
        // step throws: a keeper that cannot start leaves nothing running.
        Wiring.Opened opened = new Wiring.Opened();
        try {
            this.chain = opened.add(Wiring.chainClient(c, breakers, new RpcOutageLog(clock, OUTAGE_REMINDER_EVERY)));

            this.database = opened.add(Wiring.openJournal(config.journal()));
            this.journal = new Journal(database.dataSource(), clock);
            this.journalOutage = new JournalOutageLog(database.url(), clock, OUTAGE_REMINDER_EVERY);
            // The pool's and Quartz's own lines about the database going away (with stack traces) are said once here.
            this.libraryLog = opened.add(LibraryDatabaseLog.reportTo(this.journalOutage));

            FeeCaps caps = new FeeCaps(
                    gwei(config.gas().normalCapGwei()), gwei(config.gas().emergencyCapGwei()));
            EngineSettings engine = new EngineSettings(
                    config.strategy().keeperSettings(),
                    FeeSettings.defaults(),
                    caps,
                    config.strategy().expectedSlippageBps(),
                    config.gas().feeHistoryBlocks(),
                    config.contracts().nativeToken(),
                    config.gas().nativePrices(),
                    config.strategy().chunking(),
                    config.strategy().fullScanEveryBlocks(),
                    config.strategy().scanMarginBps(),
                    config.protectedAtOwnCost(),
                    config.gas().maxBlockShareBps(),
                    config.strategy().risk().settings());
            TokenCatalog tokens = new TokenCatalog(chain);
            this.lens = new VaultLensReader(
                    chain,
                    config.contracts().lens(),
                    signer.address(),
                    tokens,
                    config.routing().lensChunk());
            TxSettings txSettings = TxSettings.defaults(c.id(), caps)
                    .withStuckAfterBlocks(config.gas().stuckAfterBlocks())
                    .withConfirmationDepth(Math.max(1, c.confirmations()));
            this.txManager = new TxManager(
                    chain, journal, signer, txSettings, new TxMetrics(registry), reorgHook(), planCheck());

            VaultSimulator simulator = new VaultSimulator(chain, signer.address());
            var feeKind = c.feeKind();
            // Arbitrum charges its L1 part as gas that only the node's estimate includes.
            if (feeKind == io.unwind.chain.preset.NetworkPreset.Kind.ARBITRUM) simulator.gasFromNodeEstimates();
            RouteFinder routes = new RouteFinder(
                            sources(config, chain, registry, signer.address()),
                            simulator,
                            Set.of(config.contracts().morpho()),
                            config.strategy().routeSlippageBps(),
                            config.routing().roundTimeout(),
                            gasMeter(chain, signer.address()))
                    .withDataFee(
                            feeKind == io.unwind.chain.preset.NetworkPreset.Kind.OP_STACK
                                    ? new io.unwind.chain.fee.OpStackL1DataFee(chain)
                                    : io.unwind.chain.fee.L1DataFee.NONE);
            if (feeKind != io.unwind.chain.preset.NetworkPreset.Kind.L1)
                log.info(
                        "chain {} is {}: {}",
                        c.id(),
                        feeKind.label(),
                        feeKind == io.unwind.chain.preset.NetworkPreset.Kind.OP_STACK
                                ? "every route is charged its L1 data fee (GasPriceOracle.getL1Fee) besides its gas"
                                : "gas is taken from the node's estimates, which include the L1 part");
            this.directory = new VaultDirectory(
                    chain,
                    config.vaults(),
                    config.contracts().factories(),
                    config.scheduler().factoryRefreshBlocks(),
                    java.util.Set.copyOf(config.markets()));
            if (config.markets().isEmpty()
                    && !config.contracts().factories().isEmpty()
                    && config.vaults().isEmpty()
                    && !io.unwind.domain.chain.ChainId.of(c.id()).isLocal()) {
                log.warn(
                        "watching every market of factories {}: anyone can create a vault there on a market of their"
                                + " own making; list the markets to protect under `markets:`",
                        config.contracts().factories());
            }
            this.metrics = new KeeperMetrics(registry, clock);
            new JournalMetrics(registry, () -> !journalOutage.failing());
            metrics.skippedVaults(() -> directory.skipped().size());
            this.ableToWork = new KeeperReadiness(chain, directory, signer.address(), FeeSettings.defaults(), clock);
            KeeperEvents events = KeeperEvents.all(metrics, history, ableToWork, extraEvents);
            TxSubmitter submitter = new JournalTxSubmitter(txManager, journal, c.id(), journalOutage);
            RiskTracker risk =
                    new RiskTracker(engine.risk(), riskStore(new MarketRisk(database.dataSource(), clock, c.id())));
            risk.useQueue(queue(marketMaps));
            this.keeper = new Keeper(
                            chain,
                            directory,
                            lens,
                            routes,
                            simulator,
                            submitter,
                            signer.address(),
                            engine,
                            events,
                            risk)
                    .withHedges(config.hedgeOfVault());
            metrics.volatility(risk::readings);
            this.mapJob = config.market().map().enabled()
                    ? Optional.of(opened.add(mapJob(config, chain, tokens, directory, marketMaps, registry)))
                    : Optional.empty();
            this.heads =
                    opened.add(new HeadTracker(chain, c.endpoints().get(0).ws(), c.pollInterval(), this::fire, clock));
            var cc = config.cluster();
            if (cc.enabled()) {
                // Each partition ticks by itself, on whichever node Quartz hands it to: the vault counts are taken over
                // each vault's last read by this node, as long as that read is recent.
                metrics.countLastReadsWithin(lastReadsCounted(cc));
                // Every partition's engine shares the key's transaction manager, which is told of each head once.
                TxSubmitter shared = new OncePerHead(submitter);
                // Each partition plans its own book: each gets its part of the block's share, so that the cluster's
                // actions of one block stay within the share however the partitions are spread over the nodes.
                EngineSettings perPartition =
                        engine.withBlockGasShareBps(Math.max(1, engine.blockGasShareBps() / cc.partitions()));
                KeeperNodes nodes = new KeeperNodes(database.dataSource(), clock);
                OrphanSweeper sweeper = new OrphanSweeper(
                        chain,
                        journal,
                        nodes,
                        signer.address(),
                        cc.deadAfter(),
                        Math.max(10, 3 * config.gas().stuckAfterBlocks()));
                this.scheduler = Optional.empty();
                this.cluster = Optional.of(opened.add(new ClusterMember(
                        cc,
                        c.id(),
                        signer.address(),
                        database.dataSource(),
                        nodes,
                        sweeper,
                        k -> new Keeper(
                                        chain,
                                        directory.only(v -> ClusterTickScheduler.partitionOf(v, cc.partitions()) == k),
                                        lens,
                                        routes,
                                        simulator,
                                        shared,
                                        signer.address(),
                                        perPartition,
                                        events,
                                        risk)
                                .withHedges(config.hedgeOfVault()),
                        heads::lastHead,
                        this::afterTick,
                        new ClusterMetrics(registry, cc.partitions(), clock, ClusterMember.untickedAfter(cc)),
                        journalOutage,
                        clock)));
            } else {
                this.scheduler = Optional.of(opened.add(new TickScheduler(
                        c.id(),
                        keeper,
                        heads::lastHead,
                        config.scheduler().intervalFallback(),
                        this::afterTick,
                        chain.outages(),
                        journalOutage)));
                this.cluster = Optional.empty();
            }
            // Each hedge's last reading: the keeper's, or over this cluster node's partitions (each reads its own).
            java.util.function.Supplier<java.util.Map<Address, io.unwind.engine.Hedger.View>> hedges =
                    cluster.<java.util.function.Supplier<java.util.Map<Address, io.unwind.engine.Hedger.View>>>map(
                                    m -> m::hedges)
                            .orElse(keeper::hedges);
            if (!config.hedgeOfVault().isEmpty()) new HedgeMetrics(registry, config.hedgeOfVault(), hedges);
            this.http = config.http().enabled()
                    ? Optional.of(opened.add(
                            new StatusServer(config.http().host(), config.http().port(), registry, readiness())))
                    : Optional.empty();
            http.ifPresent(h -> new StatusPage(history, journal, signer.address(), c.id(), clock, marketMaps)
                    .withVolatility(m -> risk.readings().entrySet().stream()
                            .filter(e -> e.getKey().equalsIgnoreCase(m))
                            .map(java.util.Map.Entry::getValue)
                            .findFirst())
                    .withCluster(cluster.<java.util.function.Supplier<io.unwind.app.http.StatusJson.PageCluster>>map(
                                    m -> m::view)
                            .orElse(() -> null))
                    .withHedges(config.hedgeOfVault().isEmpty() ? () -> null : hedges)
                    .register(h));
        } catch (RuntimeException e) {
            throw opened.closeAfter(e);
        } catch (Error e) {
            throw opened.closeAfter(e);
        }
    }

    private void fire(BlockRef head) {
        scheduler.ifPresent(TickScheduler::fire); // a cluster ticks its partitions on Quartz's interval
        mapJob.ifPresent(j -> j.onHead(head)); // queued on its own thread: the tick never waits for it
        if (journalOutage.failing() && readingWithoutTick.compareAndSet(false, true))
            Thread.ofVirtual().name("unwind-read-without-journal").start(() -> readWithoutTick(head));
    }

    /**
     * How long a vault's last read by a cluster node counts in its gauges: the dead-node delay (at least three tick
     * intervals). Quartz hands each firing of a partition to whichever node is free, so a node reads most vaults within
     * it while it is alive; a vault it has not read for longer is another node's to report.
     */
    static Duration lastReadsCounted(UnwindConfig.Cluster cc) {
        Duration ticks = cc.tickInterval().multipliedBy(3);
        return cc.deadAfter().compareTo(ticks) > 0 ? cc.deadAfter() : ticks;
    }

    /**
     * While the journal's database is down nothing can be journaled, so no vault is acted on (and in a cluster Quartz
     * fires no partition). The vaults are still read at each head and published: the gauges, and the alerts on them,
     * show where the vaults are instead of where they were when the database went away.
     */
    private void readWithoutTick(BlockRef head) {
        try {
            var scan = lens.read(directory.vaults(head), head);
            metrics.readWithoutTick(
                    head,
                    scan.vaults(),
                    scan.unreadable().stream()
                            .map(VaultLensReader.Unreadable::vault)
                            .toList());
        } catch (RuntimeException e) {
            log.debug("reading the vaults without the journal at block {} failed: {}", head.number(), e.getMessage());
        } finally {
            readingWithoutTick.set(false);
        }
    }

    /**
     * The liquidation maps' refresher: the watched vaults' markets, the on-chain pools one per venue for the depth (a
     * Uniswap V3 source per fee tier, the V2 router; not the aggregators, which route through the same pools).
     */
    private static MarketMapJob mapJob(
            UnwindConfig config,
            Web3jChainClient chain,
            TokenCatalog tokens,
            VaultDirectory directory,
            io.unwind.engine.MarketMaps maps,
            PrometheusMeterRegistry registry) {
        var m = config.market().map();
        var settings = new io.unwind.engine.MarketMapSettings(
                m.stepBps(),
                m.rangeBps(),
                m.depthLevelsBps(),
                m.depthRefreshBlocks(),
                m.depthPriceMoveBps(),
                new io.unwind.chain.market.MarketBorrowers.Settings(
                        m.startBlock(),
                        m.logBlockRange(),
                        io.unwind.chain.market.MarketBorrowers.Settings.defaults()
                                .reorgOverlap(),
                        io.unwind.chain.market.MarketBorrowers.Settings.defaults()
                                .slotsPerCall()));
        List<RouteSource> pools = pools(config, chain);
        var refresher = new io.unwind.engine.MarketMapRefresher(
                chain,
                config.contracts().morpho(),
                tokens,
                new io.unwind.engine.WatchedMarkets(chain, directory::watched),
                pools.isEmpty() ? Optional.empty() : Optional.of(new io.unwind.route.VenueDepth(pools)),
                settings,
                maps);
        var metrics = new io.unwind.app.metrics.MarketMapMetrics(registry, maps, m.depthLevelsBps());
        return new MarketMapJob(refresher::refresh, metrics::refreshed);
    }

    /** The on-chain pools, one route source each, for measuring depth. */
    public static List<RouteSource> pools(UnwindConfig config, io.unwind.chain.ChainClient chain) {
        ContractCaller caller = (to, data, block) -> switch (chain.call(null, to, data, block)) {
            case CallResult.Success s -> Optional.of(s.data());
            case CallResult.Reverted r -> Optional.empty();
        };
        List<RouteSource> out = new ArrayList<>();
        var k = config.contracts();
        if (k.uniswapV3Quoter().isPresent() && !k.uniswapV3Routers().isEmpty()) {
            // One router is enough: both swap in the same pools, and depth counted through both would count it twice.
            var router = k.uniswapV3Routers().get(0);
            for (int fee : config.routing().uniswapV3FeeTiers()) {
                out.add(new UniswapV3Source(caller, k.uniswapV3Quoter().get(), List.of(router), List.of(fee)));
            }
        }
        k.uniswapV2Router().ifPresent(r -> out.add(new UniswapV2Source(caller, r)));
        return out;
    }

    /** The liquidation maps of the watched markets, as last refreshed (for the keeper, the status page, tests). */
    public io.unwind.engine.MarketMaps marketMaps() {
        return marketMaps;
    }

    /** Starts the node: checks the chain, recovers the journal, then follows heads and serves HTTP. */
    public KeeperNode start() {
        for (RpcEndpoint e : chain.endpoints()) chain.verify(e);
        if (chain.endpoints().stream().noneMatch(e -> e.status() == RpcEndpoint.Status.ALIVE)) {
            throw new IllegalStateException(
                    "no RPC endpoint is usable on chain " + config.chain().id() + ": "
                            + chain.endpoints().stream()
                                    .map(e -> e.name() + " " + e.status() + " " + e.statusDetail())
                                    .toList());
        }
        if (config.chain().feeKind() == io.unwind.chain.preset.NetworkPreset.Kind.OP_STACK
                && chain.code(io.unwind.chain.fee.OpStackL1DataFee.GAS_PRICE_ORACLE).length == 0) {
            throw new IllegalStateException(
                    "chain.kind is op-stack, but chain " + config.chain().id()
                            + " has no GasPriceOracle at " + io.unwind.chain.fee.OpStackL1DataFee.GAS_PRICE_ORACLE
                            + ": the L1 data fee of each transaction could not be read. Set chain.kind to what the chain is"
                            + " (l1, op-stack, arbitrum), or point the endpoints at the OP-stack chain");
        }
        // A cluster node's id and key must not be a live node's: checked before the journal is recovered (another live
        // node's transactions are not this one's to send again) and before Quartz starts.
        cluster.ifPresent(ClusterMember::claimIdentity);
        txManager.recover(); // says in the log what it did with each transaction the last run left in flight
        try {
            ableToWork.atStart(chain.latestBlock(), lens);
        } catch (RuntimeException e) {
            log.warn(
                    "the start-up checks (vaults watched, gas money, allowed on the vaults) could not run: {}; /ready says "
                            + "what it finds once the chain answers",
                    e.getMessage());
        }
        scheduler.ifPresent(TickScheduler::start);
        cluster.ifPresent(ClusterMember::start);
        heads.start();
        readBalance();
        http.ifPresent(StatusServer::start);
        log.info(
                "keeper {} watching {} on chain {} via {}",
                signer.address(),
                config.vaults().isEmpty()
                        ? "factory " + config.contracts().factory().orElseThrow()
                        : config.vaults().size() + " vault(s)",
                config.chain().id(),
                chain.endpoints().stream().map(RpcEndpoint::name).toList());
        // SIGTERM or Ctrl-C: say so, and close everything (journal included) before the JVM exits, whoever started us.
        Thread hook = new Thread(() -> close(SIGNALLED), "unwind-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        stopOnSignal = hook;
        return this;
    }

    private void afterTick(TickResult r) {
        lastTick = r;
        if (clock.millis() - balanceReadAt.get() >= BALANCE_EVERY_MILLIS)
            Thread.ofVirtual().name("unwind-balance").start(this::readBalance);
        for (var l : tickListeners) l.accept(r);
    }

    private static final long BALANCE_EVERY_MILLIS = 15_000;

    /** Refreshes the keeper balance gauge; off the tick's thread, at most every 15 s. */
    private void readBalance() {
        balanceReadAt.set(clock.millis());
        try {
            metrics.keeperBalance(signer.address(), chain.balance(signer.address()));
        } catch (RuntimeException e) {
            log.debug("cannot read the keeper's balance: {}", e.getMessage());
        }
    }

    /** Called after every tick, on the tick's thread. */
    public void onTick(Consumer<TickResult> listener) {
        tickListeners.add(listener);
    }

    public Optional<TickResult> lastTick() {
        return Optional.ofNullable(lastTick);
    }

    public Keeper keeper() {
        return keeper;
    }

    public Journal journal() {
        return journal;
    }

    public TxManager txManager() {
        return txManager;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public Optional<StatusServer> http() {
        return http;
    }

    public Address keeperAddress() {
        return signer.address();
    }

    /** eth_estimateGas of the exact vault call from the keeper: what a route is charged, not what its source says. */
    private static RouteFinder.GasMeter gasMeter(Web3jChainClient chain, Address keeper) {
        return (vault, data) -> switch (chain.estimateGas(keeper, vault, data)) {
            case io.unwind.chain.ChainClient.EstimateResult.Gas g ->
                java.util.OptionalLong.of(
                        g.units().min(BigInteger.valueOf(30_000_000)).longValue());
            case io.unwind.chain.ChainClient.EstimateResult.Reverted r -> java.util.OptionalLong.empty();
        };
    }

    /** The on-chain sources and aggregators the configuration names; at least one is needed to sell. */
    private static List<RouteSource> sources(
            UnwindConfig config,
            Web3jChainClient chain,
            io.micrometer.core.instrument.MeterRegistry registry,
            Address keeper) {
        ContractCaller caller = (to, data, block) -> switch (chain.call(null, to, data, block)) {
            case CallResult.Success s -> Optional.of(s.data());
            case CallResult.Reverted r -> Optional.empty();
        };
        List<RouteSource> out = new ArrayList<>();
        var k = config.contracts();
        if (k.uniswapV3Quoter().isPresent() && !k.uniswapV3Routers().isEmpty()) {
            out.add(new UniswapV3Source(
                    caller,
                    k.uniswapV3Quoter().get(),
                    k.uniswapV3Routers(),
                    config.routing().uniswapV3FeeTiers()));
        }
        k.uniswapV2Router().ifPresent(r -> out.add(new UniswapV2Source(caller, r)));
        List<AggregatorSettings> aggregators = config.aggregators().stream()
                .map(a -> new AggregatorSettings(
                        a.vendor(),
                        a.baseUrl(),
                        a.apiKey(),
                        a.timeout(),
                        a.requestsPerSecond(),
                        a.retries(),
                        config.chain().id(),
                        a.chainSlug()
                                .or(() -> AggregatorSettings.kyberSlug(
                                        config.chain().id()))
                                .orElse(""),
                        keeper))
                .toList();
        out.addAll(Aggregators.build(aggregators, registry));
        if (out.isEmpty()) {
            throw new io.unwind.app.config.ConfigException(
                    "contracts",
                    "no route source: set uniswapV3Quoter and uniswapV3Router or uniswapV3Router02, "
                            + "or uniswapV2Router (or a deployment file that has them), or list aggregators");
        }
        return out;
    }

    private static Wei gwei(BigDecimal g) {
        return Wei.parseGwei(g.toPlainString());
    }

    /** A re-orged action is sent again only if its vault still needs it at the new head. */
    private ReorgHook reorgHook() {
        return tx -> {
            try {
                BlockRef head = chain.latestBlock();
                var scan = lens.read(List.of(tx.vault()), head);
                if (scan.vaults().isEmpty()) return ReorgHook.Decision.REBROADCAST;
                var h = scan.vaults().get(0);
                return h.overTrigger() || h.inSoftZone() ? ReorgHook.Decision.REBROADCAST : ReorgHook.Decision.CANCEL;
            } catch (RuntimeException e) {
                return ReorgHook.Decision.REBROADCAST; // when in doubt, protect the vault
            }
        };
    }

    /**
     * The liquidation maps as the risk model's queue: a market whose forced selling within a few percent exceeds the
     * venues' depth there has its volatility multiplied (see docs/RISK.md); a market without a map yet, by nothing.
     */
    private static RiskTracker.Queue queue(MarketMaps maps) {
        return new RiskTracker.Queue() {
            @Override
            public Optional<RiskTracker.Stress> stress(String marketId) {
                return maps.latest(marketId)
                        .filter(v -> v.volatilityMultiplier() > 1)
                        .map(v -> new RiskTracker.Stress(
                                v.volatilityMultiplier(),
                                // "300 WETH liquidatable within 10% vs 90 WETH of depth" (the multiplier is beside it)
                                v.explanation().replaceFirst(":? *volatility [x×][0-9.]+$", "")));
            }

            @Override
            public Optional<java.math.BigInteger> depthWithin(String marketId, int bps) {
                return maps.latest(marketId)
                        .flatMap(v -> v.cascade().depth().entrySet().stream()
                                .filter(e -> e.getKey() <= bps)
                                .max(java.util.Map.Entry.comparingByKey())
                                .map(java.util.Map.Entry::getValue));
            }
        };
    }

    /** The journal's table of volatility estimates, as the engine's store. */
    private static RiskTracker.Store riskStore(MarketRisk table) {
        return new RiskTracker.Store() {
            @Override
            public java.util.Map<String, io.unwind.domain.risk.MarketVolatility> loadVolatility() {
                return table.load();
            }

            @Override
            public void saveVolatility(String marketId, io.unwind.domain.risk.MarketVolatility v) {
                table.save(marketId, v);
            }
        };
    }

    /**
     * An action journaled but not yet signed (it waited behind another, or across a restart) is signed only if its
     * vault is still over its trigger at the new head: the vault reverts a keeper action otherwise.
     */
    private io.unwind.tx.PlanCheck planCheck() {
        return (tx, head) -> {
            var scan = lens.read(List.of(tx.vault()), head);
            if (scan.vaults().isEmpty()) {
                return Optional.of("the vault cannot be read at block " + head.number() + ": "
                        + scan.unreadable().stream()
                                .map(u -> u.reason())
                                .findFirst()
                                .orElse("no answer"));
            }
            var h = scan.vaults().get(0);
            if (!h.priceKnown()) return Optional.of("the market's oracle gives no price at block " + head.number());
            // An early action (between the soft and the hard trigger) stays valid while the vault is in that zone: the
            // vault itself refuses it unless it ends at the target.
            if (!h.overTrigger() && !h.inSoftZone()) {
                return Optional.of("the vault is no longer over its trigger at block " + head.number() + " (LTV "
                        + Ltv.percent(h.ltv()) + " < trigger " + Ltv.percent(h.triggerLtv())
                        + (h.softTrigger().isSet() ? ", and under its soft trigger" : "") + ")");
            }
            if (h.paused()) return Optional.of("the owner paused keepers on the vault");
            if (!h.keeperAllowed()) return Optional.of("this keeper is no longer allowed on the vault");
            return Optional.empty();
        };
    }

    /** The longest /ready waits for one of its checks: under a 1-second probe's timeout. */
    static final Duration READY_BOUND = Duration.ofMillis(700);

    private Map<String, java.util.function.Supplier<StatusServer.Check>> readiness() {
        Map<String, java.util.function.Supplier<StatusServer.Check>> m = new LinkedHashMap<>();
        Duration maxAge = config.scheduler().intervalFallback().multipliedBy(3);
        m.put("head", () -> {
            var at = heads.lastHeadAt();
            boolean fresh = Duration.between(at, clock.instant()).compareTo(maxAge) <= 0;
            return new StatusServer.Check(
                    fresh,
                    heads.lastHead().map(h -> "block " + h.number()).orElse("no head yet")
                            + (fresh ? "" : ", none for over " + maxAge.toSeconds() + " s"));
        });
        // Bounded: while the database is down its pool waits 5 s for a connection, longer than a probe waits for
        // /ready.
        m.put(
                "journal",
                new BoundedCheck(
                        () -> {
                            try (var conn = database.dataSource().getConnection()) {
                                return new StatusServer.Check(conn.isValid(1), "reachable");
                            } catch (java.sql.SQLException e) {
                                return new StatusServer.Check(false, "unreachable: " + e.getMessage());
                            }
                        },
                        READY_BOUND,
                        "the journal's database"));
        m.put("rpc", () -> {
            long usable =
                    chain.endpoints().stream().filter(RpcEndpoint::permitsCalls).count();
            return new StatusServer.Check(
                    usable > 0, usable + " of " + chain.endpoints().size() + " endpoint(s) usable");
        });
        ableToWork.addTo(m);
        return m;
    }

    @Override
    public void close() {
        close("closing the keeper");
    }

    /**
     * Stops following heads and ticking, lets a running tick finish, and closes the status server, the chain clients
     * and the journal; says so in the log before and after. Once only, whichever of the caller and the shutdown hook
     * comes first; the other waits for it to finish.
     */
    private void close(String why) {
        synchronized (closing) {
            if (closed) return;
            closed = true;
            Thread hook = stopOnSignal;
            if (hook != null && Thread.currentThread() != hook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // The JVM is shutting down (the caller was woken by the signal too): the hook waits on this lock,
                    // then finds the node closed.
                    why = SIGNALLED;
                }
            }
            long t0 = System.nanoTime();
            log.info(
                    "stopping: {}; finishing the running tick, then closing the status server, the RPC clients and the journal",
                    why);
            http.ifPresent(StatusServer::close);
            heads.close();
            scheduler.ifPresent(TickScheduler::close);
            cluster.ifPresent(ClusterMember::close);
            mapJob.ifPresent(MarketMapJob::close);
            chain.close();
            database.close();
            try {
                libraryLog.close();
            } catch (Exception e) {
                log.debug("cannot detach the library database log: {}", e.getMessage());
            }
            log.info(
                    "stopped after {} ms: transactions in flight stay in the journal and are recovered at the next start",
                    (System.nanoTime() - t0) / 1_000_000);
        }
    }
}
