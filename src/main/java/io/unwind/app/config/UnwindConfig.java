package io.unwind.app.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.unwind.chain.preset.NetworkPreset;
import io.unwind.chain.preset.NetworkPresets;
import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.ChainId;
import io.unwind.domain.plan.KeeperSettings;
import io.unwind.domain.position.Policy;
import io.unwind.route.UniswapV3Router;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The keeper's configuration, one YAML file (see keystore-template/unwind.example.yaml), bound by Jackson. Each record
 * component is a setting: its name is the key in the file, its {@link Setting} annotation holds its default and bounds,
 * and the record's constructor checks what involves several settings. {@link ConfigLoader} reads the file and names the
 * field of any mistake. A new setting is a component here, its documented line in the example file, and the code that
 * uses it.
 *
 * <p>{@code markets}: the Morpho market ids (0x-hex) whose vaults the keeper watches; empty, every market.
 */
public record UnwindConfig(
        @Setting(required = "is required") Chain chain,
        @Setting(required = "is required") Contracts contracts,
        List<Address> vaults,
        List<String> markets,
        Key keeper,
        Strategy strategy,
        Routing routing,
        Gas gas,
        Journal journal,
        Scheduler scheduler,
        Http http,
        List<Aggregator> aggregators,
        Cluster cluster,
        Market market,
        List<Hedge> hedges) {

    /** The checks that involve more than one section. */
    public UnwindConfig {
        if (market == null) market = Market.DEFAULTS;
        hedges = hedges == null ? List.of() : List.copyOf(hedges);
        java.util.Set<Address> hedgedVaults = new java.util.HashSet<>();
        for (int i = 0; i < hedges.size(); i++) {
            Hedge h = hedges.get(i);
            if (h == null || h.vault() == null || h.hedge() == null)
                throw new ConfigException("hedges[" + i + "]", "a hedge names its vault and its hedge contract");
            if (!hedgedVaults.add(h.vault()))
                throw new ConfigException("hedges[" + i + "].vault", "vault " + h.vault() + " is listed twice");
        }
        vaults = vaults == null ? List.of() : List.copyOf(vaults);
        markets = markets == null ? List.of() : List.copyOf(markets);
        for (int i = 0; i < markets.size(); i++) {
            if (markets.get(i) == null || !markets.get(i).matches("0x[0-9a-fA-F]{64}")) {
                throw new ConfigException(
                        "markets[" + i + "]",
                        "a Morpho market id is 0x and 64 hex digits, not '" + markets.get(i) + "'");
            }
        }
        aggregators = aggregators == null ? List.of() : List.copyOf(aggregators);
        if (vaults.isEmpty() && contracts.factories().isEmpty()) {
            throw new ConfigException(
                    "vaults",
                    "nothing to watch: list vaults, or set contracts.factory (or contracts.aaveFactory) to watch all of"
                            + " its vaults");
        }
        if (keeper.devAccount().isPresent() && !ChainId.of(chain.id()).isLocal()) {
            throw new ConfigException(
                    "keeper.devAccount",
                    "development accounts are public keys for local chains (id " + ChainId.localIds() + ") only");
        }
        var seen = java.util.EnumSet.noneOf(io.unwind.route.aggregator.Vendor.class);
        for (int i = 0; i < aggregators.size(); i++) {
            var v = aggregators.get(i).vendor();
            if (!seen.add(v))
                throw new ConfigException("aggregators[" + i + "].name", "'" + v.id() + "' is listed twice");
            if (v == io.unwind.route.aggregator.Vendor.KYBERSWAP
                    && aggregators.get(i).chainSlug().isEmpty()
                    && io.unwind.route.aggregator.AggregatorSettings.kyberSlug(chain.id())
                            .isEmpty()) {
                throw new ConfigException(
                        "aggregators[" + i + "].chainSlug",
                        "KyberSwap does not know chain "
                                + chain.id()
                                + " by id: set its chain name (for example ethereum, base, arbitrum)");
            }
        }
        if (cluster.enabled() && !journal.url().startsWith("jdbc:postgresql:")) {
            throw new ConfigException(
                    "journal.url",
                    "cluster mode needs the nodes' shared journal on PostgreSQL: set journal.url to a "
                            + "jdbc:postgresql: URL (every node the same), or set cluster.enabled to false");
        }
    }

    /** A configuration with the default market section. */
    public UnwindConfig(
            Chain chain,
            Contracts contracts,
            List<Address> vaults,
            List<String> markets,
            Key keeper,
            Strategy strategy,
            Routing routing,
            Gas gas,
            Journal journal,
            Scheduler scheduler,
            Http http,
            List<Aggregator> aggregators,
            Cluster cluster) {
        this(
                chain,
                contracts,
                vaults,
                markets,
                keeper,
                strategy,
                routing,
                gas,
                journal,
                scheduler,
                http,
                aggregators,
                cluster,
                Market.DEFAULTS);
    }

    /** A single-node configuration (no cluster section). */
    public UnwindConfig(
            Chain chain,
            Contracts contracts,
            List<Address> vaults,
            Key keeper,
            Strategy strategy,
            Routing routing,
            Gas gas,
            Journal journal,
            Scheduler scheduler,
            Http http,
            List<Aggregator> aggregators) {
        this(
                chain,
                contracts,
                vaults,
                keeper,
                strategy,
                routing,
                gas,
                journal,
                scheduler,
                http,
                aggregators,
                Cluster.OFF);
    }

    /** A configuration acting on every market's vaults. */
    public UnwindConfig(
            Chain chain,
            Contracts contracts,
            List<Address> vaults,
            Key keeper,
            Strategy strategy,
            Routing routing,
            Gas gas,
            Journal journal,
            Scheduler scheduler,
            Http http,
            List<Aggregator> aggregators,
            Cluster cluster) {
        this(
                chain,
                contracts,
                vaults,
                List.of(),
                keeper,
                strategy,
                routing,
                gas,
                journal,
                scheduler,
                http,
                aggregators,
                cluster);
    }

    /** A configuration without aggregators (on-chain routes only). */
    public UnwindConfig(
            Chain chain,
            Contracts contracts,
            List<Address> vaults,
            Key keeper,
            Strategy strategy,
            Routing routing,
            Gas gas,
            Journal journal,
            Scheduler scheduler,
            Http http) {
        this(chain, contracts, vaults, keeper, strategy, routing, gas, journal, scheduler, http, List.of());
    }

    /** The same configuration with these aggregators. */
    public UnwindConfig withAggregators(List<Aggregator> a) {
        return new UnwindConfig(
                chain, contracts, vaults, markets, keeper, strategy, routing, gas, journal, scheduler, http, a, cluster,
                market, hedges);
    }

    /** The same configuration with these contracts. */
    public UnwindConfig withContracts(Contracts c) {
        return new UnwindConfig(
                chain,
                c,
                vaults,
                markets,
                keeper,
                strategy,
                routing,
                gas,
                journal,
                scheduler,
                http,
                aggregators,
                cluster,
                market,
                hedges);
    }

    /** The same configuration as one node of a cluster. */
    public UnwindConfig withCluster(Cluster c) {
        return new UnwindConfig(
                chain,
                contracts,
                vaults,
                markets,
                keeper,
                strategy,
                routing,
                gas,
                journal,
                scheduler,
                http,
                aggregators,
                c,
                market,
                hedges);
    }

    /** The same configuration with liquidity chunking switched on or off (a comparison switch). */
    public UnwindConfig withChunking(boolean on) {
        return new UnwindConfig(
                chain,
                contracts,
                vaults,
                markets,
                keeper,
                strategy.withChunking(on),
                routing,
                gas,
                journal,
                scheduler,
                http,
                aggregators,
                cluster,
                market,
                hedges);
    }

    /** The same configuration with {@code strategy.protectAtOwnCost} set to {@code vaults}. */
    public UnwindConfig withProtectAtOwnCost(List<Address> vaults) {
        return new UnwindConfig(
                chain,
                contracts,
                this.vaults,
                markets,
                keeper,
                strategy.withProtectAtOwnCost(vaults),
                routing,
                gas,
                journal,
                scheduler,
                http,
                aggregators,
                cluster,
                market,
                hedges);
    }

    /** The vaults protected whatever their gas costs: {@code strategy.protectAtOwnCost}, or else the listed vaults. */
    public java.util.Set<Address> protectedAtOwnCost() {
        return java.util.Set.copyOf(strategy.protectAtOwnCost().orElse(vaults));
    }

    /** The same configuration with the vault scan's plan (1: every vault every block). */
    public UnwindConfig withScan(int fullEveryBlocks, int marginBps) {
        return new UnwindConfig(
                chain,
                contracts,
                vaults,
                markets,
                keeper,
                strategy.withScan(fullEveryBlocks, marginBps),
                routing,
                gas,
                journal,
                scheduler,
                http,
                aggregators,
                cluster,
                market,
                hedges);
    }

    /** Without hedges. */
    public UnwindConfig(
            Chain chain,
            Contracts contracts,
            List<Address> vaults,
            List<String> markets,
            Key keeper,
            Strategy strategy,
            Routing routing,
            Gas gas,
            Journal journal,
            Scheduler scheduler,
            Http http,
            List<Aggregator> aggregators,
            Cluster cluster,
            Market market) {
        this(
                chain,
                contracts,
                vaults,
                markets,
                keeper,
                strategy,
                routing,
                gas,
                journal,
                scheduler,
                http,
                aggregators,
                cluster,
                market,
                List.of());
    }

    /** The same configuration with these hedges. */
    public UnwindConfig withHedges(List<Hedge> h) {
        return new UnwindConfig(
                chain,
                contracts,
                vaults,
                markets,
                keeper,
                strategy,
                routing,
                gas,
                journal,
                scheduler,
                http,
                aggregators,
                cluster,
                market,
                h);
    }

    /** Vault -> its hedge. */
    public java.util.Map<Address, Address> hedgeOfVault() {
        java.util.Map<Address, Address> out = new java.util.LinkedHashMap<>();
        for (Hedge h : hedges) out.put(h.vault(), h.hedge());
        return out;
    }

    /**
     * A hedge the keeper also runs (docs/HEDGE.md): an UnwindHedge deployed for {@code vault}, whose short it opens,
     * buys back and releases profit from within the owner's policy on the hedge.
     */
    public record Hedge(
            @Setting(required = "is required") Address vault,
            @Setting(required = "is required") Address hedge) {}

    /**
     * @param id the chain id; an endpoint that reports another one is never used
     * @param endpoints tried in order, each behind its own circuit breaker
     * @param privateRelay optional endpoint that only receives transactions (a Flashbots Protect style relay)
     * @param preset a network preset ("ethereum", "base", "arbitrum", "optimism"): the chain must be that network, and
     *     {@code unwind run} and {@code config check --online} check each endpoint against it (chain id, code at each
     *     of the preset's addresses) before anything else
     */
    public record Chain(
            @Setting(required = "is required", min = "1") long id,

            @Setting(required = "at least one RPC endpoint is needed")
            List<Endpoint> endpoints,

            Optional<Endpoint> privateRelay,
            @Setting(def = "1s") Duration pollInterval,
            @Setting(def = "5s") Duration callTimeout,
            @Setting(def = "3", min = "1", max = "10") int callAttempts,
            @Setting(def = "2", min = "0", max = "1000") int confirmations,
            Optional<String> preset,
            Optional<String> kind) {
        public Chain {
            if (endpoints.isEmpty()) throw new ConfigException("endpoints", "at least one RPC endpoint is needed");
            endpoints = List.copyOf(endpoints);
            preset.ifPresent(name -> networkPreset(name, id));
            kind.ifPresent(k -> {
                NetworkPreset.Kind named = kindOf(k);
                preset.map(name -> networkPreset(name, id)).ifPresent(p -> {
                    if (p.kind() != named)
                        throw new ConfigException(
                                "kind",
                                "'" + k + "' but the preset '" + p.name() + "' is "
                                        + p.kind().label()
                                        + ": leave chain.kind out (the preset's is used) or correct it");
                });
            });
        }

        /**
         * How the chain charges for a transaction: {@code l1} (gas only), {@code op-stack} (gas plus the L1 data fee of
         * its GasPriceOracle) or {@code arbitrum} (the L1 part charged as gas, in the node's estimate). chain.kind,
         * else the preset's, else l1.
         */
        public NetworkPreset.Kind feeKind() {
            return kind.map(Chain::kindOf)
                    .or(() -> networkPreset().map(NetworkPreset::kind))
                    .orElse(NetworkPreset.Kind.L1);
        }

        private static NetworkPreset.Kind kindOf(String k) {
            try {
                return NetworkPreset.Kind.of(k);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("kind", e.getMessage());
            }
        }

        /** The preset this chain names, if any (known and for this chain id: checked when the config loads). */
        public Optional<NetworkPreset> networkPreset() {
            return preset.map(name -> networkPreset(name, id));
        }

        private static NetworkPreset networkPreset(String name, long id) {
            NetworkPreset p;
            try {
                p = NetworkPresets.load(name);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("preset", e.getMessage());
            }
            if (p.chainId().value() != id) {
                throw new ConfigException(
                        "preset",
                        "the preset '" + name + "' is chain " + p.chainId() + ", but chain.id is " + id
                                + ": set chain.id to " + p.chainId() + " or choose "
                                + NetworkPresets.forChain(ChainId.of(id))
                                        .map(q -> "the preset '" + q.name() + "'")
                                        .orElse("no preset (there is none for chain " + id + ")"));
            }
            return p;
        }
    }

    /** @param name shown in logs and metrics; default the URL's host */
    public record Endpoint(
            String name, @Setting(required = "is required") URI url, Optional<URI> ws) {
        public Endpoint {
            requireScheme("url", url, "http", "https");
            ws.ifPresent(w -> requireScheme("ws", w, "ws", "wss"));
            if (name == null) name = url.getHost();
        }
    }

    private static void requireScheme(String field, URI u, String... schemes) {
        if (u.getScheme() == null || !List.of(schemes).contains(u.getScheme()) || u.getHost() == null) {
            throw new ConfigException(field, "must be a " + String.join(" or ", schemes) + " URL, not '" + u + "'");
        }
    }

    /**
     * Unset addresses are taken from {@code deployment} by {@link ConfigLoader} (its names: vaultLens, vaultFactory,
     * quoterV2, swapRouter, swapRouter02).
     *
     * @param deployment a deployment.json (as written by {@code unwind devnet}) to take unset addresses from
     * @param factory watch every vault this factory created
     * @param uniswapV3Router Uniswap V3's original SwapRouter (exactInputSingle with a deadline; venues uniswap-v3-FEE)
     * @param uniswapV3Router02 Uniswap's SwapRouter02 (exactInputSingle without a deadline; venues uniswap-v3-02-FEE),
     *     the V3 router the L2s have; with both set, each tier is quoted once (uniswapV3Quoter) and offered through
     *     both, and each vault's allow-list decides which one its sale may take
     * @param nativeToken the chain's wrapped native token (prices gas when it is a vault's collateral)
     * @param aaveFactory watch every vault this AaveVaultFactory created too (Aave V3 vaults; the lens must then be one
     *     deployed with that factory's Aave pool)
     */
    public record Contracts(
            Optional<Path> deployment,

            @Setting(required = "the Morpho Blue address is required")
            Address morpho,

            @Setting(required = "the VaultLens address is required")
            Address lens,

            Optional<Address> factory,
            Optional<Address> uniswapV3Quoter,
            Optional<Address> uniswapV3Router,
            Optional<Address> uniswapV3Router02,
            Optional<Address> uniswapV2Router,
            Optional<Address> nativeToken,
            Optional<Address> aaveFactory) {

        /** The same contracts with SwapRouter02 set to {@code router}. */
        public Contracts withUniswapV3Router02(Address router) {
            return new Contracts(
                    deployment,
                    morpho,
                    lens,
                    factory,
                    uniswapV3Quoter,
                    uniswapV3Router,
                    Optional.of(router),
                    uniswapV2Router,
                    nativeToken,
                    aaveFactory);
        }

        /** The Uniswap V3 routers set: SwapRouter, then SwapRouter02. */
        public List<UniswapV3Router> uniswapV3Routers() {
            List<UniswapV3Router> out = new java.util.ArrayList<>();
            uniswapV3Router.ifPresent(a -> out.add(UniswapV3Router.swapRouter(a)));
            uniswapV3Router02.ifPresent(a -> out.add(UniswapV3Router.swapRouter02(a)));
            return List.copyOf(out);
        }

        /** The factories whose vaults are watched when the config lists none: Morpho's, then Aave's. */
        public List<Address> factories() {
            List<Address> out = new java.util.ArrayList<>();
            factory.ifPresent(out::add);
            aaveFactory.ifPresent(out::add);
            return List.copyOf(out);
        }
    }

    /**
     * The key the keeper signs with: a Web3 Secret Storage keystore with its password from a file or an environment
     * variable, or (local chains only) one of anvil's development accounts.
     */
    public record Key(
            Optional<Path> keystore,
            Optional<Path> passwordFile,
            Optional<String> passwordEnv,
            @Setting(min = "0", max = "19") Optional<Integer> devAccount,
            @Setting(def = "false") boolean allowWeakKdf) {
        public Key {
            if (keystore.isEmpty() && devAccount.isEmpty()) {
                throw new ConfigException(
                        "keystore", "the keeper needs a key: set keeper.keystore (and passwordFile or passwordEnv)");
            }
            if (keystore.isPresent() && passwordFile.isEmpty() && passwordEnv.isEmpty()) {
                throw new ConfigException(
                        "passwordFile", "the keystore's password must come from passwordFile or passwordEnv");
            }
        }
    }

    /**
     * The operator's strategy. The domain's {@link KeeperSettings} checks only that each share is a valid number of
     * basis points; the bounds here are what an operator may choose.
     *
     * @param keeperFeeBps fee asked of the vault, of the debt repaid (the vault's policy caps it)
     * @param expectedSlippageBps slippage a sale is first sized for
     * @param routeSlippageBps how far under its quote a swap's own minimum is set
     * @param fullScanEveryBlocks 1: every vault is read every block; N > 1: a vault whose LTV at the current oracle
     *     price is at least {@code scanMarginBps} below its trigger is re-read at least every N blocks (see ScanPlan)
     * @param protectAtOwnCost vaults the keeper acts on even when the fee they pay does not cover its gas (the
     *     operator's own); unset: the {@code vaults:} list. Every other vault must pay its way (see Keeper)
     */
    public record Strategy(
            @Setting(def = "10", min = "0", max = "" + Policy.MAX_FEE_BPS)
            int keeperFeeBps,

            @Setting(def = "50", min = "0", max = "1000") int expectedSlippageBps,
            @Setting(def = "20", min = "1", max = "1000") int routeSlippageBps,
            @Setting(def = "50", min = "0", max = "1000") int oversellToleranceBps,
            @Setting(def = "5", min = "0", max = "1000") int targetToleranceBps,
            @Setting(def = "2m") Duration txDeadline,
            @Setting(def = "20", min = "1", max = "10000") int volatilityHorizonBlocks,
            @Setting(def = "true") boolean chunking,
            @Setting(def = "1", min = "1", max = "100") int fullScanEveryBlocks,
            @Setting(def = "300", min = "50", max = "5000") int scanMarginBps,
            Optional<List<Address>> protectAtOwnCost,
            Risk risk) {

        public Strategy {
            if (risk == null) risk = Risk.defaults();
        }

        /** Without a risk section: its defaults. */
        public Strategy(
                int keeperFeeBps,
                int expectedSlippageBps,
                int routeSlippageBps,
                int oversellToleranceBps,
                int targetToleranceBps,
                Duration txDeadline,
                int volatilityHorizonBlocks,
                boolean chunking,
                int fullScanEveryBlocks,
                int scanMarginBps,
                Optional<List<Address>> protectAtOwnCost) {
            this(
                    keeperFeeBps,
                    expectedSlippageBps,
                    routeSlippageBps,
                    oversellToleranceBps,
                    targetToleranceBps,
                    txDeadline,
                    volatilityHorizonBlocks,
                    chunking,
                    fullScanEveryBlocks,
                    scanMarginBps,
                    protectAtOwnCost,
                    Risk.defaults());
        }

        /** Every default, as a file without a strategy section gets them. */
        public static Strategy defaults() {
            return ConfigBinder.defaults(Strategy.class);
        }

        /**
         * The settings the domain's planner reads. How often a sale is re-sized is not an operator's choice: it is the
         * domain's own default.
         */
        public KeeperSettings keeperSettings() {
            return new KeeperSettings(
                    keeperFeeBps,
                    oversellToleranceBps,
                    targetToleranceBps,
                    KeeperSettings.defaults().maxResizeAttempts(),
                    txDeadline,
                    volatilityHorizonBlocks);
        }

        /** The same strategy with liquidity chunking switched on or off (a comparison switch). */
        public Strategy withChunking(boolean on) {
            return new Strategy(
                    keeperFeeBps,
                    expectedSlippageBps,
                    routeSlippageBps,
                    oversellToleranceBps,
                    targetToleranceBps,
                    txDeadline,
                    volatilityHorizonBlocks,
                    on,
                    fullScanEveryBlocks,
                    scanMarginBps,
                    protectAtOwnCost,
                    risk);
        }

        public Strategy withScan(int fullEveryBlocks, int marginBps) {
            return new Strategy(
                    keeperFeeBps,
                    expectedSlippageBps,
                    routeSlippageBps,
                    oversellToleranceBps,
                    targetToleranceBps,
                    txDeadline,
                    volatilityHorizonBlocks,
                    chunking,
                    fullEveryBlocks,
                    marginBps,
                    protectAtOwnCost,
                    risk);
        }

        /** The same strategy with the vaults protected whatever their gas costs the keeper. */
        public Strategy withProtectAtOwnCost(List<Address> vaults) {
            return new Strategy(
                    keeperFeeBps,
                    expectedSlippageBps,
                    routeSlippageBps,
                    oversellToleranceBps,
                    targetToleranceBps,
                    txDeadline,
                    volatilityHorizonBlocks,
                    chunking,
                    fullScanEveryBlocks,
                    scanMarginBps,
                    Optional.of(List.copyOf(vaults)),
                    risk);
        }
    }

    /**
     * How the keeper estimates each market's volatility for its predictions (see docs/RISK.md): two exponentially
     * weighted averages of squared log returns of the oracle's and the pool's prices, the larger of which is used.
     *
     * @param fastHalfLifeBlocks half-life of the fast average, in blocks (reacts within minutes)
     * @param slowHalfLifeBlocks half-life of the slow average, in blocks (remembers the last hours)
     * @param minVolatility the least annual volatility assumed whatever the recent prices (0.2 = 20% a year)
     * @param blockSeconds the chain's block time, to express volatility a year
     */
    public record Risk(
            @Setting(def = "25", min = "1", max = "100000") int fastHalfLifeBlocks,

            @Setting(def = "300", min = "1", max = "1000000")
            int slowHalfLifeBlocks,

            @Setting(def = "0.2", min = "0", max = "10") BigDecimal minVolatility,
            @Setting(def = "12", above = "0", max = "3600") BigDecimal blockSeconds) {
        public Risk {
            if (slowHalfLifeBlocks < fastHalfLifeBlocks) {
                throw new ConfigException(
                        "slowHalfLifeBlocks", "must be at least fastHalfLifeBlocks (" + fastHalfLifeBlocks + ")");
            }
        }

        public static Risk defaults() {
            return ConfigBinder.defaults(Risk.class);
        }

        public io.unwind.engine.RiskSettings settings() {
            return new io.unwind.engine.RiskSettings(
                    new io.unwind.domain.risk.PriceVolatility.HalfLives(fastHalfLifeBlocks, slowHalfLifeBlocks),
                    minVolatility.doubleValue(),
                    blockSeconds.doubleValue());
        }
    }

    /**
     * @param roundTimeout the most a round of quotes may take
     * @param lensChunk vaults per VaultLens call
     */
    public record Routing(
            @Setting(def = "[500, 3000, 10000]", min = "1", max = "1000000")
            List<Integer> uniswapV3FeeTiers,

            @Setting(def = "2s") Duration roundTimeout,
            @Setting(def = "500", min = "1", max = "5000") int lensChunk) {}

    /**
     * @param normalCapGwei the most per gas while vaults are healthy (gwei)
     * @param emergencyCapGwei the most per gas when a vault nears liquidation (gwei)
     * @param stuckAfterBlocks a transaction not mined after this many blocks is replaced with higher fees
     * @param nativePrices loan tokens per whole native token, by loan-token address, where gas cannot be priced from a
     *     market's oracle
     * @param maxBlockShareBps the most of a block's gas limit the keeper's actions of one block take (basis points);
     *     the least urgent vaults wait for the next block
     */
    public record Gas(
            @Setting(def = "50", above = "0") BigDecimal normalCapGwei,
            @Setting(def = "500", above = "0") BigDecimal emergencyCapGwei,
            @Setting(def = "20", min = "1", max = "1024") int feeHistoryBlocks,
            @Setting(def = "3", min = "1", max = "1000") int stuckAfterBlocks,
            @Setting(above = "0") Map<Address, BigDecimal> nativePrices,

            @Setting(def = "2500", min = "100", max = "10000")
            int maxBlockShareBps) {
        /** Without {@code maxBlockShareBps}: the default quarter of a block. */
        public Gas(
                BigDecimal normalCapGwei,
                BigDecimal emergencyCapGwei,
                int feeHistoryBlocks,
                int stuckAfterBlocks,
                Map<Address, BigDecimal> nativePrices) {
            this(normalCapGwei, emergencyCapGwei, feeHistoryBlocks, stuckAfterBlocks, nativePrices, 2500);
        }

        public Gas {
            nativePrices = nativePrices == null ? Map.of() : Map.copyOf(nativePrices);
            if (emergencyCapGwei.compareTo(normalCapGwei) < 0) {
                throw new ConfigException(
                        "emergencyCapGwei", "must be at least gas.normalCapGwei (" + normalCapGwei + ")");
            }
        }
    }

    /**
     * @param url default: embedded H2 in data/journal next to the config file ({@link #defaultUrl})
     * @param passwordEnv the NAME of the environment variable holding the database password
     */
    public record Journal(String url, Optional<String> user, Optional<String> passwordEnv) {
        public Journal {
            if (!url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
                throw new ConfigException("url", "must be a jdbc:h2: or jdbc:postgresql: URL");
            }
        }

        /** The embedded journal of a config file in {@code base}. */
        static String defaultUrl(Path base) {
            return "jdbc:h2:file:" + base.resolve("data/journal") + ";AUTO_SERVER=TRUE";
        }
    }

    /**
     * @param intervalFallback tick at least this often even if no new head arrives
     * @param factoryRefreshBlocks one vaultCount call every this many blocks: a vault made after start is watched at
     *     the next refresh
     */
    public record Scheduler(
            @Setting(def = "12s") Duration intervalFallback,
            @Setting(def = "1", min = "1", max = "100000") int factoryRefreshBlocks) {}

    /** Market-wide readings of the watched markets. */
    public record Market(MarketMap map) {
        public static final Market DEFAULTS = new Market(MarketMap.DEFAULTS);

        public Market {
            if (map == null) map = MarketMap.DEFAULTS;
        }
    }

    /**
     * The liquidation map of each watched market (docs/LIQUIDATION-MAP.md): its buckets, the venues' depth it is read
     * against, and how its borrowers are found.
     *
     * @param enabled false: no map is kept (no chain reads for it, the volatility multiplier stays 1)
     * @param stepPercent a bucket's width, in percent of the oracle price
     * @param rangePercent how far below the price the buckets go (a multiple of the step)
     * @param depthLevelsPercent the falls the venues' depth is measured at (and the metrics given for)
     * @param depthRefreshBlocks the depth is measured again after this many blocks ...
     * @param depthPriceMovePercent ... or once the price moved this much since it was
     * @param logBlockRange blocks per eth_getLogs request (lower it for providers that cap log ranges)
     * @param startBlock the first block searched for borrowers' events (Morpho's deployment block saves requests)
     */
    public record MarketMap(
            @Setting(def = "true") boolean enabled,
            @Setting(def = "1", above = "0", max = "50") BigDecimal stepPercent,
            @Setting(def = "50", above = "0", max = "100") BigDecimal rangePercent,

            @Setting(def = "[5, 10, 20]", above = "0", max = "100")
            List<BigDecimal> depthLevelsPercent,

            @Setting(def = "10", min = "1", max = "100000") int depthRefreshBlocks,
            @Setting(def = "1", above = "0", max = "100") BigDecimal depthPriceMovePercent,

            @Setting(def = "10000", min = "1", max = "10000000")
            int logBlockRange,

            @Setting(def = "0", min = "0") long startBlock) {
        public static final MarketMap DEFAULTS = new MarketMap(
                true,
                BigDecimal.ONE,
                BigDecimal.valueOf(50),
                List.of(BigDecimal.valueOf(5), BigDecimal.TEN, BigDecimal.valueOf(20)),
                10,
                BigDecimal.ONE,
                10_000,
                0);

        public MarketMap {
            depthLevelsPercent = depthLevelsPercent == null ? List.of() : List.copyOf(depthLevelsPercent);
            int step = bps("stepPercent", stepPercent);
            int range = bps("rangePercent", rangePercent);
            if (range % step != 0) {
                throw new ConfigException(
                        "rangePercent",
                        "must be a whole number of steps (" + stepPercent.toPlainString() + "%), not "
                                + rangePercent.toPlainString() + "%");
            }
            for (int i = 0; i < depthLevelsPercent.size(); i++) {
                bps("depthLevelsPercent[" + i + "]", depthLevelsPercent.get(i));
            }
            bps("depthPriceMovePercent", depthPriceMovePercent);
        }

        /** A percentage as whole basis points; a finer one is refused. */
        static int bps(String field, BigDecimal percent) {
            try {
                return percent.movePointRight(2).intValueExact();
            } catch (ArithmeticException e) {
                throw new ConfigException(
                        field, "is a percentage to two decimals at most (0.01% steps), not " + percent.toPlainString());
            }
        }

        public int stepBps() {
            return bps("stepPercent", stepPercent);
        }

        public int rangeBps() {
            return bps("rangePercent", rangePercent);
        }

        public List<Integer> depthLevelsBps() {
            return depthLevelsPercent.stream()
                    .map(p -> bps("depthLevelsPercent", p))
                    .toList();
        }

        public int depthPriceMoveBps() {
            return bps("depthPriceMovePercent", depthPriceMovePercent);
        }
    }

    public record Http(
            @Setting(def = "true") boolean enabled,
            @Setting(def = "127.0.0.1") String host,
            @Setting(def = "9464", min = "0", max = "65535") int port) {}

    /**
     * Several keeper processes on one PostgreSQL journal (docs/CLUSTER.md). A cluster shares its journal, so it needs
     * PostgreSQL.
     *
     * @param nodeId this node's name in the registry and in Quartz (unique in the cluster; default host name and pid)
     * @param partitions how many parts the vaults are split into; each part is ticked by one node at a time
     * @param tickInterval how often each partition is ticked (by whichever node Quartz hands it to)
     * @param checkinInterval how often a node checks in; a node silent for longer is taken over
     * @param deadAfter how long a silent node's transactions are left to it before a live node settles them (default
     *     three check-ins)
     */
    public record Cluster(
            @Setting(def = "false") boolean enabled,

            @Setting(pattern = "[A-Za-z0-9._-]{1,80}", hint = "1 to 80 letters, digits, '.', '_' or '-'")
            String nodeId,

            @Setting(def = "16", min = "1", max = "1024") int partitions,
            @Setting(def = "1s", min = "100ms", max = "1m") Duration tickInterval,
            @Setting(def = "5s", min = "500ms", max = "5m") Duration checkinInterval,
            Duration deadAfter) {
        public static final Cluster OFF =
                new Cluster(false, "", 16, Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15));

        public Cluster {
            if (nodeId == null) nodeId = defaultNodeId();
            if (deadAfter == null) deadAfter = checkinInterval.multipliedBy(3);
            if (deadAfter.compareTo(checkinInterval.multipliedBy(2)) < 0) {
                throw new ConfigException(
                        "deadAfter",
                        "must be at least two check-in intervals ("
                                + checkinInterval.multipliedBy(2).toMillis()
                                + "ms), or a node that is merely slow would have its transactions taken from it");
            }
        }

        private static String defaultNodeId() {
            String host;
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException e) {
                host = Optional.ofNullable(System.getenv("HOSTNAME")).orElse("node");
            }
            String id = host.replaceAll("[^A-Za-z0-9._-]", "-") + "-"
                    + ProcessHandle.current().pid();
            return id.length() > 80 ? id.substring(id.length() - 80) : id;
        }
    }

    /**
     * One DEX aggregator to ask for routes. In the file a bare name ({@code - odos}) is an aggregator with defaults.
     *
     * @param vendor {@code name} in the file: 1inch, 0x, paraswap, odos or kyberswap
     * @param baseUrl default: the vendor's public API
     * @param apiKeyEnv the name of the environment variable that holds the key (the key itself is never in the file)
     * @param apiKey the key read from it by {@link ConfigLoader} (its {@code toString} never shows it)
     * @param timeout the most one quote may take
     * @param requestsPerSecond the client-side rate limit
     * @param retries extra attempts after a transport failure or a 5xx
     * @param chainSlug KyberSwap's name for the chain, where it cannot be derived from the chain id
     */
    public record Aggregator(
            @JsonProperty("name") @Setting(required = "is required")
            io.unwind.route.aggregator.Vendor vendor,

            URI baseUrl,

            @Setting(
                    pattern = "[A-Za-z_][A-Za-z0-9_]*",
                    echo = false,
                    hint = "the NAME of an environment variable (the key itself never goes in this file)")
            Optional<String> apiKeyEnv,

            @Setting(inFile = false) Optional<io.unwind.route.aggregator.ApiKey> apiKey,

            @Setting(def = "1500ms", min = "1ms", max = "30s")
            Duration timeout,

            @Setting(def = "1", above = "0", max = "1000") double requestsPerSecond,
            @Setting(def = "1", min = "0", max = "3") int retries,
            Optional<String> chainSlug) {
        public Aggregator {
            if (baseUrl == null) baseUrl = vendor.defaultBaseUrl();
            requireScheme("baseUrl", baseUrl, "http", "https");
            if (apiKey == null) apiKey = Optional.empty();
            if (vendor.needsKey() && apiKeyEnv.isEmpty() && apiKey.isEmpty()) {
                throw new ConfigException(
                        "apiKeyEnv", vendor.id() + " needs an API key: name the environment variable that holds it");
            }
        }

        /** The same aggregator with its key read from the environment variable {@code apiKeyEnv} names. */
        Aggregator withKeyFrom(Map<String, String> env) {
            if (apiKeyEnv.isEmpty()) return this;
            String v = env.get(apiKeyEnv.get());
            if (v == null || v.isBlank())
                throw new ConfigException("apiKeyEnv", "the environment variable " + apiKeyEnv.get() + " is not set");
            return new Aggregator(
                    vendor,
                    baseUrl,
                    apiKeyEnv,
                    Optional.of(new io.unwind.route.aggregator.ApiKey(v)),
                    timeout,
                    requestsPerSecond,
                    retries,
                    chainSlug);
        }
    }
}
