package io.unwind.app.sim;

import io.unwind.local.MarketSpec;
import io.unwind.local.aggregator.Misbehaviour;
import io.unwind.route.aggregator.Vendor;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A market crash to play on a local chain: the market, the vaults, the oracle price path (linear between points, one
 * step per block) and optionally the base fee path. See {@code scenarios/eth-crash.yaml}.
 *
 * @param aggregators DEX aggregators to emulate on 127.0.0.1 over the local pools, and to route through
 * @param aggregatorFaults how some of them misbehave (the rest answer honestly)
 * @param onChainRoutes whether the keeper also quotes the Uniswap pools itself (off: aggregators only)
 * @param chunking whether the keeper may split a sale the pools cannot take at once (off: to compare)
 * @param fullScanEveryBlocks the keeper's strategy.fullScanEveryBlocks (1: every vault read every block)
 * @param feedFreezes stretches of blocks in which the market's feed publishes nothing while the pools keep moving
 * @param markets every market with its own price path, the first being {@code market} and {@code prices}: one for a
 *     file with {@code market:}, named {@value #SINGLE_MARKET}; a file's {@code markets:} list otherwise
 */
public record Scenario(
        String name,
        Duration blockTime,
        MarketSpec market,
        List<PricePoint> prices,
        List<BaseFeePoint> baseFees,
        List<VaultGroup> vaults,
        int settleBlocks,
        List<Vendor> aggregators,
        Map<Vendor, Misbehaviour> aggregatorFaults,
        boolean onChainRoutes,
        boolean chunking,
        int fullScanEveryBlocks,
        List<FeedFreeze> feedFreezes,
        List<ScenarioMarket> markets,
        Map<String, OwnerSpec> ownerSpecs) {

    /**
     * What a named owner sets across their vaults ({@code owners:} in a file): a shared reserve and collateral moves.
     *
     * @param reserve loan tokens (of the owner's vaults' loan token) in the owner's shared reserve; zero: none
     * @param limit the most each of the owner's vaults may draw from it; empty: the whole reserve
     * @param moveCapBps the most one move may take out of a vault, in basis points of its collateral; zero: no moves.
     *     When set, the owner's vaults on one collateral token list each other as move peers
     */
    public record OwnerSpec(BigDecimal reserve, Optional<BigDecimal> limit, int moveCapBps) {
        public OwnerSpec {
            java.util.Objects.requireNonNull(reserve, "reserve");
            java.util.Objects.requireNonNull(limit, "limit");
            if (moveCapBps < 0 || moveCapBps > 10_000) throw new IllegalArgumentException("moveCapBps: " + moveCapBps);
        }
    }

    /** What {@code owner} set across their vaults; none for an owner the file does not list. */
    public Optional<OwnerSpec> ownerSpec(String owner) {
        return Optional.ofNullable(ownerSpecs.get(owner));
    }

    public Scenario(
            String name,
            Duration blockTime,
            MarketSpec market,
            List<PricePoint> prices,
            List<BaseFeePoint> baseFees,
            List<VaultGroup> vaults,
            int settleBlocks,
            List<Vendor> aggregators,
            Map<Vendor, Misbehaviour> aggregatorFaults,
            boolean onChainRoutes,
            boolean chunking,
            int fullScanEveryBlocks,
            List<FeedFreeze> feedFreezes,
            List<ScenarioMarket> markets) {
        this(
                name,
                blockTime,
                market,
                prices,
                baseFees,
                vaults,
                settleBlocks,
                aggregators,
                aggregatorFaults,
                onChainRoutes,
                chunking,
                fullScanEveryBlocks,
                feedFreezes,
                markets,
                Map.of());
    }

    /** The chains the markets name, in the order they first appear; empty when they name none (one chain). */
    public List<String> chains() {
        return markets.stream()
                .map(ScenarioMarket::chain)
                .filter(c -> !c.isEmpty())
                .distinct()
                .toList();
    }

    /**
     * The part of this scenario on {@code chain}: its markets, the vault groups on them, and the owners of those. The
     * rest (block time, settle blocks, base fees, feed freezes) is the same on every chain.
     */
    public Scenario forChain(String chain) {
        List<ScenarioMarket> mine =
                markets.stream().filter(m -> m.chain().equals(chain)).toList();
        if (mine.isEmpty()) throw new IllegalArgumentException("no market of " + name + " is on chain " + chain);
        java.util.Set<String> names =
                mine.stream().map(ScenarioMarket::name).collect(java.util.stream.Collectors.toSet());
        List<VaultGroup> groups =
                vaults.stream().filter(g -> names.contains(g.market())).toList();
        java.util.Set<String> owners =
                groups.stream().map(VaultGroup::owner).collect(java.util.stream.Collectors.toSet());
        Map<String, OwnerSpec> specs = new java.util.LinkedHashMap<>();
        ownerSpecs.forEach((o, spec) -> {
            if (owners.contains(o)) specs.put(o, spec);
        });
        return new Scenario(
                name,
                blockTime,
                mine.get(0).spec(),
                mine.get(0).prices(),
                baseFees,
                groups,
                settleBlocks,
                aggregators,
                aggregatorFaults,
                onChainRoutes,
                chunking,
                fullScanEveryBlocks,
                feedFreezes,
                mine,
                specs);
    }

    /** The name of the one market of a file with a top-level {@code market:}. */
    public static final String SINGLE_MARKET = "market";

    public Scenario {
        aggregators = List.copyOf(aggregators);
        aggregatorFaults = Map.copyOf(aggregatorFaults);
        feedFreezes = List.copyOf(feedFreezes);
        ownerSpecs = Map.copyOf(ownerSpecs);
        markets = markets.isEmpty() ? List.of(new ScenarioMarket(SINGLE_MARKET, market, prices)) : List.copyOf(markets);
        if (!markets.get(0).spec().equals(market) || !markets.get(0).prices().equals(prices))
            throw new IllegalArgumentException("market and prices must be the first of markets");
    }

    public Scenario(
            String name,
            Duration blockTime,
            MarketSpec market,
            List<PricePoint> prices,
            List<BaseFeePoint> baseFees,
            List<VaultGroup> vaults,
            int settleBlocks,
            List<Vendor> aggregators,
            Map<Vendor, Misbehaviour> aggregatorFaults,
            boolean onChainRoutes,
            boolean chunking,
            int fullScanEveryBlocks,
            List<FeedFreeze> feedFreezes) {
        this(
                name,
                blockTime,
                market,
                prices,
                baseFees,
                vaults,
                settleBlocks,
                aggregators,
                aggregatorFaults,
                onChainRoutes,
                chunking,
                fullScanEveryBlocks,
                feedFreezes,
                List.of());
    }

    /**
     * One lending market of the scenario with its own oracle price path (linear between points, flat after the last).
     *
     * @param name how vault groups and the report name it
     * @param chain the chain it is on ({@code chain} in the file; names are free, each gets its own local chain), or
     *     empty when the scenario names none (one chain)
     */
    public record ScenarioMarket(
            String name, MarketSpec spec, List<PricePoint> prices, MarketProtocol protocol, String chain) {
        public ScenarioMarket {
            prices = List.copyOf(prices);
            java.util.Objects.requireNonNull(protocol, "protocol");
            java.util.Objects.requireNonNull(chain, "chain");
        }

        /** A market on the scenario's one chain. */
        public ScenarioMarket(String name, MarketSpec spec, List<PricePoint> prices, MarketProtocol protocol) {
            this(name, spec, prices, protocol, "");
        }

        /** A Morpho Blue market. */
        public ScenarioMarket(String name, MarketSpec spec, List<PricePoint> prices) {
            this(name, spec, prices, MarketProtocol.MORPHO);
        }

        public BigDecimal priceAt(long block) {
            return pathAt(prices, block);
        }

        public long lastBlock() {
            return prices.get(prices.size() - 1).block();
        }
    }

    /**
     * The lending protocol a scenario market is played on, with the protocol's own risk parameters.
     *
     * @param protocol Morpho Blue or Aave V3
     * @param maxBorrowLtv Aave V3 only: the collateral's LTV (what the owner may borrow up to), below the liquidation
     *     threshold, which is the market's {@code lltv}; zero on Morpho, which has no such limit
     * @param liquidationBonus Aave V3 only: what a liquidator earns over the debt it repays (0.05 = 5%); zero on Morpho
     *     (its incentive follows from the LLTV)
     */
    public record MarketProtocol(
            io.unwind.domain.position.LendingProtocol protocol, BigDecimal maxBorrowLtv, BigDecimal liquidationBonus) {
        public static final MarketProtocol MORPHO = new MarketProtocol(
                io.unwind.domain.position.LendingProtocol.MORPHO_BLUE, BigDecimal.ZERO, BigDecimal.ZERO);

        public boolean aave() {
            return protocol == io.unwind.domain.position.LendingProtocol.AAVE_V3;
        }
    }

    /** The vault groups' owners, by name, in the order first named; groups without one share the scenario's owner. */
    public List<String> owners() {
        return vaults.stream().map(VaultGroup::owner).distinct().toList();
    }

    /** The market a vault group is on: the one it names, or the first. */
    public ScenarioMarket marketOf(VaultGroup g) {
        if (g.market() == null) return markets.get(0);
        return markets.stream()
                .filter(m -> m.name().equals(g.market()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no market named " + g.market()));
    }

    public Scenario(
            String name,
            Duration blockTime,
            MarketSpec market,
            List<PricePoint> prices,
            List<BaseFeePoint> baseFees,
            List<VaultGroup> vaults,
            int settleBlocks,
            List<Vendor> aggregators,
            Map<Vendor, Misbehaviour> aggregatorFaults,
            boolean onChainRoutes,
            boolean chunking,
            int fullScanEveryBlocks) {
        this(
                name,
                blockTime,
                market,
                prices,
                baseFees,
                vaults,
                settleBlocks,
                aggregators,
                aggregatorFaults,
                onChainRoutes,
                chunking,
                fullScanEveryBlocks,
                List.of());
    }

    public Scenario(
            String name,
            Duration blockTime,
            MarketSpec market,
            List<PricePoint> prices,
            List<BaseFeePoint> baseFees,
            List<VaultGroup> vaults,
            int settleBlocks) {
        this(name, blockTime, market, prices, baseFees, vaults, settleBlocks, List.of(), Map.of(), true, true, 1);
    }

    public Scenario(
            String name,
            Duration blockTime,
            MarketSpec market,
            List<PricePoint> prices,
            List<BaseFeePoint> baseFees,
            List<VaultGroup> vaults,
            int settleBlocks,
            List<Vendor> aggregators,
            Map<Vendor, Misbehaviour> aggregatorFaults,
            boolean onChainRoutes,
            boolean chunking) {
        this(
                name,
                blockTime,
                market,
                prices,
                baseFees,
                vaults,
                settleBlocks,
                aggregators,
                aggregatorFaults,
                onChainRoutes,
                chunking,
                1);
    }

    /** The same scenario with liquidity chunking on or off. */
    public Scenario withChunking(boolean on) {
        return new Scenario(
                name,
                blockTime,
                market,
                prices,
                baseFees,
                vaults,
                settleBlocks,
                aggregators,
                aggregatorFaults,
                onChainRoutes,
                on,
                fullScanEveryBlocks,
                feedFreezes,
                markets,
                ownerSpecs);
    }

    /** The same scenario with the keeper reading far-from-trigger vaults only every {@code blocks} blocks. */
    public Scenario withFullScanEvery(int blocks) {
        return new Scenario(
                name,
                blockTime,
                market,
                prices,
                baseFees,
                vaults,
                settleBlocks,
                aggregators,
                aggregatorFaults,
                onChainRoutes,
                chunking,
                blocks,
                feedFreezes,
                markets,
                ownerSpecs);
    }

    public record PricePoint(long block, BigDecimal price) {}

    /**
     * The market's feed publishes nothing from block {@code from} until block {@code until} (then it publishes the
     * path's price again), or to the end when {@code until} is empty; the pools keep following the path. The market
     * oracle reads that feed, so it stays at the last published price too.
     */
    public record FeedFreeze(long from, Optional<Long> until) {
        public boolean covers(long block) {
            return block >= from && until.map(u -> block < u).orElse(true);
        }
    }

    /** Whether the feed publishes nothing at {@code block}. */
    public boolean feedFrozenAt(long block) {
        return feedFreezes.stream().anyMatch(f -> f.covers(block));
    }

    /** The next block's base fee, in gwei, from this block on (linear between points). */
    public record BaseFeePoint(long block, BigDecimal gwei) {}

    /**
     * One vault, or {@code count} identical ones named {@code name-1..name-count}.
     *
     * @param keeper whether the keeper is allowed on it (false: an unprotected vault, for comparison)
     * @param market the name of the market its vaults are on, or null for the scenario's first (its only one)
     */
    public record VaultGroup(
            String name,
            int count,
            BigDecimal collateral,
            BigDecimal ltv,
            BigDecimal reserve,
            boolean keeper,
            Optional<PolicySpec> policy,
            Optional<GuardSpec> guard,
            String market,
            String owner) {

        /** Who owns vaults of a group that names no owner: one owner for them all, as before owners could be named. */
        public static final String DEFAULT_OWNER = "owner";

        public VaultGroup {
            java.util.Objects.requireNonNull(owner, "owner");
        }

        public VaultGroup(
                String name,
                int count,
                BigDecimal collateral,
                BigDecimal ltv,
                BigDecimal reserve,
                boolean keeper,
                Optional<PolicySpec> policy,
                Optional<GuardSpec> guard,
                String market) {
            this(name, count, collateral, ltv, reserve, keeper, policy, guard, market, DEFAULT_OWNER);
        }

        public VaultGroup(
                String name,
                int count,
                BigDecimal collateral,
                BigDecimal ltv,
                BigDecimal reserve,
                boolean keeper,
                Optional<PolicySpec> policy,
                Optional<GuardSpec> guard) {
            this(name, count, collateral, ltv, reserve, keeper, policy, guard, null);
        }

        public VaultGroup(
                String name,
                int count,
                BigDecimal collateral,
                BigDecimal ltv,
                BigDecimal reserve,
                boolean keeper,
                Optional<PolicySpec> policy) {
            this(name, count, collateral, ltv, reserve, keeper, policy, Optional.empty());
        }
    }

    /**
     * The owner's guard in the scenario's terms: the feed is the market's own (or none: a rate limit alone).
     *
     * @param marketFeed whether the price guard checks the market's feed (false: no price guard)
     */
    public record GuardSpec(
            boolean marketFeed,
            Duration maxPriceAge,
            int maxPriceDeviationBps,
            Duration sellWindow,
            int maxWindowSellBps) {}

    /**
     * The owner's policy in the scenario's terms: LTVs as fractions. {@code softTrigger}, when present, is the vault's
     * soft trigger (between target and trigger) and {@code maxLiquidationProbability} the probability above which the
     * keeper acts early there.
     */
    public record PolicySpec(
            BigDecimal trigger,
            BigDecimal target,
            BigDecimal band,
            int maxSlippageBps,
            int maxFeeBps,
            int maxSellBps,
            Duration cooldown,
            BigDecimal maxGasPriceGwei,
            Optional<BigDecimal> softTrigger,
            BigDecimal maxLiquidationProbability,
            Optional<HedgeSpec> hedge) {

        public PolicySpec {
            java.util.Objects.requireNonNull(hedge, "hedge");
        }

        /** Without a hedge. */
        public PolicySpec(
                BigDecimal trigger,
                BigDecimal target,
                BigDecimal band,
                int maxSlippageBps,
                int maxFeeBps,
                int maxSellBps,
                Duration cooldown,
                BigDecimal maxGasPriceGwei,
                Optional<BigDecimal> softTrigger,
                BigDecimal maxLiquidationProbability) {
            this(
                    trigger,
                    target,
                    band,
                    maxSlippageBps,
                    maxFeeBps,
                    maxSellBps,
                    cooldown,
                    maxGasPriceGwei,
                    softTrigger,
                    maxLiquidationProbability,
                    Optional.empty());
        }

        /** Without a soft trigger. */
        public PolicySpec(
                BigDecimal trigger,
                BigDecimal target,
                BigDecimal band,
                int maxSlippageBps,
                int maxFeeBps,
                int maxSellBps,
                Duration cooldown,
                BigDecimal maxGasPriceGwei) {
            this(
                    trigger,
                    target,
                    band,
                    maxSlippageBps,
                    maxFeeBps,
                    maxSellBps,
                    cooldown,
                    maxGasPriceGwei,
                    Optional.empty(),
                    BigDecimal.ZERO);
        }
    }

    /**
     * A vault's hedge in the scenario's terms (docs/HEDGE.md): the simulator opens the reverse market, deploys the
     * owner's UnwindHedge with this policy and deposits its margin. LTVs and the ratio as fractions.
     *
     * @param maxRatio the largest short as a share of the vault's collateral (1 = fully hedged)
     * @param trigger the hedge's own trigger LTV
     * @param target the hedge's target LTV
     * @param open the vault's LTV at or over which the short may be opened
     * @param margin L the owner deposits in the hedge (human units of the loan token)
     * @param maxSlippageBps the least a hedge swap may bring under its oracle value
     * @param cooldown the time between two keeper opens or buy-backs
     */
    public record HedgeSpec(
            BigDecimal maxRatio,
            BigDecimal trigger,
            BigDecimal target,
            BigDecimal open,
            BigDecimal margin,
            int maxSlippageBps,
            Duration cooldown) {}

    /** The last block of the price paths (of the longest, with several markets). */
    public long lastBlock() {
        return markets.stream().mapToLong(ScenarioMarket::lastBlock).max().orElseThrow();
    }

    /** The first market's price at {@code block}: linear between the path's points, flat after the last. */
    public BigDecimal priceAt(long block) {
        return pathAt(prices, block);
    }

    private static BigDecimal pathAt(List<PricePoint> prices, long block) {
        return interpolate(
                block,
                prices.stream().map(p -> new long[] {p.block()}).toList(),
                prices.stream().map(PricePoint::price).toList());
    }

    public Optional<BigDecimal> baseFeeGweiAt(long block) {
        if (baseFees.isEmpty()) return Optional.empty();
        return Optional.of(interpolate(
                block,
                baseFees.stream().map(p -> new long[] {p.block()}).toList(),
                baseFees.stream().map(BaseFeePoint::gwei).toList()));
    }

    private static BigDecimal interpolate(long block, List<long[]> at, List<BigDecimal> values) {
        if (block <= at.get(0)[0]) return values.get(0);
        for (int i = 1; i < at.size(); i++) {
            long b0 = at.get(i - 1)[0];
            long b1 = at.get(i)[0];
            if (block <= b1) {
                BigDecimal v0 = values.get(i - 1);
                BigDecimal v1 = values.get(i);
                BigDecimal f = BigDecimal.valueOf(block - b0)
                        .divide(BigDecimal.valueOf(b1 - b0), 18, java.math.RoundingMode.HALF_EVEN);
                return v0.add(v1.subtract(v0).multiply(f))
                        .setScale(8, java.math.RoundingMode.HALF_EVEN)
                        .stripTrailingZeros();
            }
        }
        return values.get(values.size() - 1);
    }
}
