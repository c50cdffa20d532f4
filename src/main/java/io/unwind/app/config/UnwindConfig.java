package io.unwind.app.config;

import io.unwind.domain.chain.Address;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The keeper's configuration, one YAML file (see keystore-template/unwind.example.yaml). Every field has a
 * default except the chain's endpoints and the contracts; {@link ConfigLoader} validates and names the field of
 * any mistake.
 */
public record UnwindConfig(
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

    public UnwindConfig {
        aggregators = List.copyOf(aggregators);
    }

    /** A single-node configuration (no cluster section). */
    public UnwindConfig(Chain chain, Contracts contracts, List<Address> vaults, Key keeper, Strategy strategy, Routing routing,
            Gas gas, Journal journal, Scheduler scheduler, Http http, List<Aggregator> aggregators) {
        this(chain, contracts, vaults, keeper, strategy, routing, gas, journal, scheduler, http, aggregators, Cluster.OFF);
    }

    /** A configuration without aggregators (on-chain routes only). */
    public UnwindConfig(Chain chain, Contracts contracts, List<Address> vaults, Key keeper, Strategy strategy, Routing routing,
            Gas gas, Journal journal, Scheduler scheduler, Http http) {
        this(chain, contracts, vaults, keeper, strategy, routing, gas, journal, scheduler, http, List.of());
    }

    /** The same configuration with these aggregators. */
    public UnwindConfig withAggregators(List<Aggregator> a) {
        return new UnwindConfig(chain, contracts, vaults, keeper, strategy, routing, gas, journal, scheduler, http, a, cluster);
    }

    /** The same configuration as one node of a cluster. */
    public UnwindConfig withCluster(Cluster c) {
        return new UnwindConfig(chain, contracts, vaults, keeper, strategy, routing, gas, journal, scheduler, http, aggregators, c);
    }

    /** The same configuration with liquidity chunking switched on or off (a comparison switch). */
    public UnwindConfig withChunking(boolean on) {
        var s = strategy;
        return new UnwindConfig(chain, contracts, vaults, keeper, new Strategy(s.keeperFeeBps(), s.expectedSlippageBps(),
                s.routeSlippageBps(), s.oversellToleranceBps(), s.targetToleranceBps(), s.txDeadline(), s.volatilityHorizonBlocks(), on,
                s.fullScanEveryBlocks(), s.scanMarginBps(), s.protectAtOwnCost()), routing, gas, journal, scheduler, http, aggregators, cluster);
    }

    /** The same configuration with {@code strategy.protectAtOwnCost} set to {@code vaults}. */
    public UnwindConfig withProtectAtOwnCost(List<Address> vaults) {
        return new UnwindConfig(chain, contracts, this.vaults, keeper, strategy.withProtectAtOwnCost(vaults), routing, gas, journal,
                scheduler, http, aggregators, cluster);
    }

    /** The vaults protected whatever their gas costs: {@code strategy.protectAtOwnCost}, or else the listed vaults. */
    public java.util.Set<Address> protectedAtOwnCost() {
        return java.util.Set.copyOf(strategy.protectAtOwnCost().orElse(vaults));
    }

    /** The same configuration with the vault scan's plan (1: every vault every block). */
    public UnwindConfig withScan(int fullEveryBlocks, int marginBps) {
        return new UnwindConfig(chain, contracts, vaults, keeper, strategy.withScan(fullEveryBlocks, marginBps), routing, gas, journal,
                scheduler, http, aggregators, cluster);
    }

    /** @param privateRelay optional endpoint that only receives transactions (a Flashbots Protect style relay) */
    public record Chain(long id, List<Endpoint> endpoints, Optional<Endpoint> privateRelay, Duration pollInterval,
            Duration callTimeout, int callAttempts, int confirmations) {}

    public record Endpoint(String name, URI url, Optional<URI> ws) {}

    /**
     * @param deployment a deployment.json (as written by {@code unwind devnet}) to take unset addresses from
     * @param factory watch every vault this factory created
     * @param nativeToken the chain's wrapped native token (prices gas when it is a vault's collateral)
     */
    public record Contracts(Optional<Path> deployment, Address morpho, Address lens, Optional<Address> factory,
            Optional<Address> uniswapV3Quoter, Optional<Address> uniswapV3Router, Optional<Address> uniswapV2Router,
            Optional<Address> nativeToken) {}

    /**
     * The key the keeper signs with: a Web3 Secret Storage keystore with its password from a file or an environment
     * variable, or (local chains only) one of anvil's development accounts.
     */
    public record Key(Optional<Path> keystore, Optional<Path> passwordFile, Optional<String> passwordEnv,
            Optional<Integer> devAccount, boolean allowWeakKdf) {}

    /**
     * @param keeperFeeBps fee asked of the vault, of the debt repaid (the vault's policy caps it)
     * @param expectedSlippageBps slippage a sale is first sized for
     * @param routeSlippageBps how far under its quote a swap's own minimum is set
     */
    /**
     * @param fullScanEveryBlocks 1: every vault is read every block; N > 1: a vault whose LTV at the current oracle price
     *     is at least {@code scanMarginBps} below its trigger is re-read at least every N blocks (see ScanPlan)
     */
    /**
     * @param protectAtOwnCost vaults the keeper acts on even when the fee they pay does not cover its gas (the
     *     operator's own); unset: the {@code vaults:} list. Every other vault must pay its way (see Keeper)
     */
    public record Strategy(int keeperFeeBps, int expectedSlippageBps, int routeSlippageBps, int oversellToleranceBps,
            int targetToleranceBps, Duration txDeadline, int volatilityHorizonBlocks, boolean chunking, int fullScanEveryBlocks,
            int scanMarginBps, Optional<List<Address>> protectAtOwnCost) {

        public Strategy(int keeperFeeBps, int expectedSlippageBps, int routeSlippageBps, int oversellToleranceBps,
                int targetToleranceBps, Duration txDeadline, int volatilityHorizonBlocks, boolean chunking, int fullScanEveryBlocks,
                int scanMarginBps) {
            this(keeperFeeBps, expectedSlippageBps, routeSlippageBps, oversellToleranceBps, targetToleranceBps, txDeadline,
                    volatilityHorizonBlocks, chunking, fullScanEveryBlocks, scanMarginBps, Optional.empty());
        }

        public Strategy(int keeperFeeBps, int expectedSlippageBps, int routeSlippageBps, int oversellToleranceBps,
                int targetToleranceBps, Duration txDeadline, int volatilityHorizonBlocks, boolean chunking) {
            this(keeperFeeBps, expectedSlippageBps, routeSlippageBps, oversellToleranceBps, targetToleranceBps, txDeadline,
                    volatilityHorizonBlocks, chunking, 1, 300);
        }

        public Strategy(int keeperFeeBps, int expectedSlippageBps, int routeSlippageBps, int oversellToleranceBps,
                int targetToleranceBps, Duration txDeadline, int volatilityHorizonBlocks) {
            this(keeperFeeBps, expectedSlippageBps, routeSlippageBps, oversellToleranceBps, targetToleranceBps, txDeadline,
                    volatilityHorizonBlocks, true);
        }

        public Strategy withScan(int fullEveryBlocks, int marginBps) {
            return new Strategy(keeperFeeBps, expectedSlippageBps, routeSlippageBps, oversellToleranceBps, targetToleranceBps, txDeadline,
                    volatilityHorizonBlocks, chunking, fullEveryBlocks, marginBps, protectAtOwnCost);
        }

        /** The same strategy with the vaults protected whatever their gas costs the keeper. */
        public Strategy withProtectAtOwnCost(List<Address> vaults) {
            return new Strategy(keeperFeeBps, expectedSlippageBps, routeSlippageBps, oversellToleranceBps, targetToleranceBps, txDeadline,
                    volatilityHorizonBlocks, chunking, fullScanEveryBlocks, scanMarginBps, Optional.of(List.copyOf(vaults)));
        }
    }

    public record Routing(List<Integer> uniswapV3FeeTiers, Duration roundTimeout, int lensChunk) {}

    /**
     * @param normalCap the most per gas while vaults are healthy (gwei)
     * @param emergencyCap the most per gas when a vault nears liquidation (gwei)
     * @param nativePrices loan tokens per whole native token, by loan-token address, where gas cannot be priced
     *     from a market's oracle
     */
    public record Gas(BigDecimal normalCapGwei, BigDecimal emergencyCapGwei, int feeHistoryBlocks, int stuckAfterBlocks,
            Map<Address, BigDecimal> nativePrices) {}

    public record Journal(String url, Optional<String> user, Optional<String> passwordEnv) {}

    public record Scheduler(Duration intervalFallback, int factoryRefreshBlocks) {}

    public record Http(boolean enabled, String host, int port) {}

    /**
     * Several keeper processes on one PostgreSQL journal (docs/CLUSTER.md).
     *
     * @param nodeId this node's name in the registry and in Quartz (unique in the cluster; default host name and pid)
     * @param partitions how many parts the vaults are split into; each part is ticked by one node at a time
     * @param tickInterval how often each partition is ticked (by whichever node Quartz hands it to)
     * @param checkinInterval how often a node checks in; a node silent for longer is taken over
     * @param deadAfter how long a silent node's transactions are left to it before a live node settles them
     */
    public record Cluster(boolean enabled, String nodeId, int partitions, Duration tickInterval, Duration checkinInterval,
            Duration deadAfter) {
        public static final Cluster OFF = new Cluster(false, "", 16, Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15));
    }

    /**
     * One DEX aggregator to ask for routes.
     *
     * @param apiKeyEnv the name of the environment variable that holds the key (the key itself is never in the file)
     * @param apiKey the key read from it (its {@code toString} never shows it)
     * @param timeout the most one quote may take
     * @param requestsPerSecond the client-side rate limit
     * @param retries extra attempts after a transport failure or a 5xx
     * @param chainSlug KyberSwap's name for the chain, where it cannot be derived from the chain id
     */
    public record Aggregator(io.unwind.route.aggregator.Vendor vendor, URI baseUrl, Optional<String> apiKeyEnv,
            Optional<io.unwind.route.aggregator.ApiKey> apiKey, Duration timeout, double requestsPerSecond, int retries,
            Optional<String> chainSlug) {}
}
