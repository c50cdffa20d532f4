package io.unwind.app.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.unwind.engine.MarketMapView;
import io.unwind.engine.MarketMaps;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The watched markets' liquidation maps as gauges, one series per market and depth level: labels {@code market} (the
 * market's label, "WETH/USDC 86%") and {@code pct} (the level, "5"). Both are bounded: the watched markets and the
 * configured levels. Amounts are whole collateral tokens as doubles: a gauge is for charts and alerts, the exact base
 * units are in {@code unwind market map --json}. A market without a map (yet) reads NaN.
 */
public final class MarketMapMetrics {
    public static final String LIQUIDATABLE_WITHIN = "unwind_market_liquidatable_within";
    public static final String DEPTH_WITHIN = "unwind_market_depth_within";
    public static final String CASCADE_RATIO = "unwind_market_cascade_ratio";

    private final MeterRegistry registry;
    private final MarketMaps maps;
    private final List<Integer> levelsBps;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();

    public MarketMapMetrics(MeterRegistry registry, MarketMaps maps, List<Integer> levelsBps) {
        this.registry = registry;
        this.maps = maps;
        this.levelsBps = List.copyOf(levelsBps);
    }

    /** Registers the gauges of markets seen for the first time (called after each refresh). */
    public void refreshed(List<MarketMapView> views) {
        for (MarketMapView v : views) {
            if (!registered.add(v.marketId())) continue;
            String id = v.marketId();
            for (int bps : levelsBps) {
                String pct = BigDecimal.valueOf(bps, 2).stripTrailingZeros().toPlainString();
                gauge(
                        LIQUIDATABLE_WITHIN,
                        v.label(),
                        pct,
                        id,
                        m -> Optional.of(tokens(m.map().liquidatableWithin(bps), m)),
                        "Collateral (whole tokens, as a double) liquidatable if the oracle price falls by pct %,"
                                + " the already liquidatable included");
                gauge(
                        DEPTH_WITHIN,
                        v.label(),
                        pct,
                        id,
                        m -> m.cascade().depthWithin(bps).map(d -> tokens(d, m)),
                        "Collateral (whole tokens, as a double) the on-chain pools absorb, summed, before their average"
                                + " price is pct % under the oracle's");
                gauge(
                        CASCADE_RATIO,
                        v.label(),
                        pct,
                        id,
                        m -> m.cascade().cascadeRatio(bps),
                        "Collateral liquidatable within pct % over the pools' depth within pct %: above 1, forced"
                                + " selling outruns the pools");
            }
        }
    }

    private void gauge(
            String name,
            String label,
            String pct,
            String marketId,
            Function<MarketMapView, Optional<Double>> value,
            String description) {
        Gauge.builder(name, maps, m -> m.latest(marketId).flatMap(value).orElse(Double.NaN))
                .tag("market", label)
                .tag("pct", pct)
                .description(description)
                .register(registry);
    }

    private static double tokens(BigInteger units, MarketMapView m) {
        return new BigDecimal(units).movePointLeft(m.collateral().decimals()).doubleValue();
    }
}
