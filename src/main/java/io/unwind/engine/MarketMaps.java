package io.unwind.engine;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest liquidation map of each watched market, shared between the refresher that writes it (off the tick's
 * thread) and its readers (the keeper, the status page, the metrics). Thread-safe: each market's view is replaced
 * whole.
 *
 * <p>For the keeper: {@code maps.volatilityMultiplier(marketId)} (1 when the market has no map yet) and
 * {@code maps.latest(marketId).map(MarketMapView::explanation)}.
 */
public final class MarketMaps {
    private final Map<String, MarketMapView> byMarket = new ConcurrentHashMap<>();

    /** The latest map of the market {@code marketIdHex} (0x-hex, any case), if one was made. */
    public Optional<MarketMapView> latest(String marketIdHex) {
        return Optional.ofNullable(byMarket.get(key(marketIdHex)));
    }

    /** Every market's latest map, by market id. */
    public List<MarketMapView> all() {
        return byMarket.values().stream()
                .sorted(java.util.Comparator.comparing(MarketMapView::label).thenComparing(MarketMapView::marketId))
                .toList();
    }

    /** The market's volatility multiplier, 1 while it has no map (never blocks, never fails). */
    public double volatilityMultiplier(String marketIdHex) {
        return latest(marketIdHex).map(MarketMapView::volatilityMultiplier).orElse(1.0);
    }

    public void put(MarketMapView view) {
        byMarket.put(key(view.marketId()), view);
    }

    /** Forgets the markets not in {@code marketIds}. */
    public void retain(Collection<String> marketIds) {
        Set<String> keep = marketIds.stream().map(MarketMaps::key).collect(java.util.stream.Collectors.toSet());
        byMarket.keySet().retainAll(keep);
    }

    private static String key(String id) {
        return id.toLowerCase(Locale.ROOT);
    }
}
