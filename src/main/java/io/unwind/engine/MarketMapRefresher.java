package io.unwind.engine;

import io.unwind.chain.ChainClient;
import io.unwind.chain.market.MarketBorrowers;
import io.unwind.chain.market.MarketInfo;
import io.unwind.chain.vault.TokenCatalog;
import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.BlockRef;
import io.unwind.domain.risk.LiquidationMap;
import io.unwind.route.VenueDepth;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings every watched market's liquidation map up to a head and publishes it in {@link MarketMaps}.
 *
 * <p>Per refresh and head, with N borrowers of which T changed: one eth_getLogs (more when the chain moved on by more
 * than the log range), ⌈(markets + T) / slotsPerCall⌉ extSloads calls for the borrow totals and the touched positions,
 * and one oracle price call per market; N plays no part after the first scan. The venues' depth is measured again every
 * {@code depthRefreshBlocks} blocks or once the price moved {@code depthPriceMoveBps} since the last measure: at most
 * (1 + levels × {@link VenueDepth#QUOTES_PER_LEVEL}) quotes per venue.
 *
 * <p>Not thread-safe: one job calls {@link #refresh} at a time.
 */
public final class MarketMapRefresher {
    private static final Logger log = LoggerFactory.getLogger(MarketMapRefresher.class);

    private final ChainClient chain;
    private final Address morpho;
    private final TokenCatalog tokens;
    private final Supplier<Set<String>> markets;
    private final Optional<VenueDepth> venues;
    private final MarketMapSettings settings;
    private final MarketMaps maps;
    private final MarketBorrowers borrowers;
    private final Map<String, MarketInfo> infos = new HashMap<>();
    /** Watched markets Morpho does not have (another protocol's): asked once, then left out. */
    private final Set<String> notOnMorpho = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final Map<String, Measured> depth = new HashMap<>();

    private record Measured(long block, BigInteger price, Map<Integer, BigInteger> byDrop) {}

    /** @param venues the on-chain pools to measure depth on; empty: no depth (the multiplier stays 1) */
    public MarketMapRefresher(
            ChainClient chain,
            Address morpho,
            TokenCatalog tokens,
            Supplier<Set<String>> markets,
            Optional<VenueDepth> venues,
            MarketMapSettings settings,
            MarketMaps maps) {
        this.chain = chain;
        this.morpho = morpho;
        this.tokens = tokens;
        this.markets = markets;
        this.venues = venues;
        this.settings = settings;
        this.maps = maps;
        this.borrowers = new MarketBorrowers(chain, morpho, settings.scan());
    }

    /** Refreshes every market at {@code head}; a chain failure is thrown (the maps keep their last views). */
    public List<MarketMapView> refresh(BlockRef head) {
        Set<String> ids = new java.util.LinkedHashSet<>(markets.get());
        ids.removeAll(notOnMorpho);
        for (java.util.Iterator<String> it = ids.iterator(); it.hasNext(); ) {
            String id = it.next();
            if (infos.containsKey(id)) continue;
            if (!new io.unwind.chain.vault.VaultReads(chain)
                    .marketParams(morpho, id)
                    .exists()) {
                // The map reads Morpho's borrowers; another protocol's market (an Aave V3 reserve pair) has none here.
                notOnMorpho.add(id);
                it.remove();
                log.info(
                        "market {} is not a Morpho Blue market (an Aave V3 market, say): it gets no liquidation map",
                        id);
                continue;
            }
            infos.put(id, MarketInfo.read(chain, morpho, tokens, id));
        }
        infos.keySet().retainAll(ids);
        depth.keySet().retainAll(ids);
        maps.retain(ids);
        List<MarketMapView> out = new java.util.ArrayList<>();
        for (var positions : borrowers.refresh(ids, head)) {
            MarketInfo info = infos.get(positions.marketId());
            Optional<BigInteger> price = info.price(chain, head.hash());
            if (price.isEmpty()) {
                log.debug("market {}: the oracle gives no price at block {}", info.label(), head.number());
                continue;
            }
            LiquidationMap map = LiquidationMap.of(
                    info.collateral(),
                    info.loan(),
                    positions.positions(),
                    info.params().lltv(),
                    price.get(),
                    settings.stepBps(),
                    settings.rangeBps());
            Measured m = depth(info, map, head);
            MarketMapView view = new MarketMapView(
                    info.marketId(),
                    info.label(),
                    head.number(),
                    map.against(m == null ? Map.of() : m.byDrop()),
                    m == null ? -1 : m.block(),
                    positions.positions().size());
            maps.put(view);
            out.add(view);
        }
        var cost = borrowers.lastCost();
        log.debug(
                "liquidation maps at block {}: {} market(s), {} eth_getLogs, {} extSloads, {} borrower(s) re-read",
                head.number(),
                out.size(),
                cost.getLogs(),
                cost.extSloads(),
                cost.touched());
        return out;
    }

    private Measured depth(MarketInfo info, LiquidationMap map, BlockRef head) {
        if (venues.isEmpty() || settings.depthLevelsBps().isEmpty()) return null;
        Measured last = depth.get(info.marketId());
        if (last != null
                && head.number() - last.block() < settings.depthRefreshBlocks()
                && head.number() >= last.block()
                && !movedPast(last.price(), map.price(), settings.depthPriceMoveBps())) {
            return last;
        }
        int deepest = settings.depthLevelsBps().stream().max(Integer::compare).orElseThrow();
        BigInteger oneToken = BigInteger.TEN.pow(info.collateral().decimals());
        BigInteger hint = map.liquidatableWithin(deepest).max(oneToken);
        var d = venues.get()
                .measure(info.collateral(), info.loan(), map.price(), settings.depthLevelsBps(), hint, head);
        if (!d.failed().isEmpty()) log.debug("market {}: depth not read on {}", info.label(), d.failed());
        Measured m = new Measured(head.number(), map.price(), d.byDropBps());
        depth.put(info.marketId(), m);
        return m;
    }

    static boolean movedPast(BigInteger before, BigInteger now, int bps) {
        return now.subtract(before)
                        .abs()
                        .multiply(BigInteger.valueOf(10_000))
                        .compareTo(before.multiply(BigInteger.valueOf(bps)))
                > 0;
    }
}
