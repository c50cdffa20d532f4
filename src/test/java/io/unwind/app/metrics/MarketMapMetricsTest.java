package io.unwind.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.unwind.domain.chain.Address;
import io.unwind.domain.money.Token;
import io.unwind.domain.risk.BorrowerPosition;
import io.unwind.domain.risk.LiquidationMap;
import io.unwind.engine.MarketMapView;
import io.unwind.engine.MarketMaps;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** One series per market and level, in whole tokens, following the maps as they are replaced. */
@Tag("pure")
class MarketMapMetricsTest {
    static final Token WBTC = new Token(Address.of("0x00000000000000000000000000000000000000b1"), "WBTC", 8);
    static final Token USDC = new Token(Address.of("0x00000000000000000000000000000000000000c1"), "USDC", 6);
    static final String ID = "0x" + "ab".repeat(32);

    static MarketMapView view(BigInteger price, Map<Integer, BigInteger> depth) {
        // 1.5 WBTC liquidatable at 58,000 USDC (LLTV 86%): debt = 1.5 × 58000 × 0.86 = 74,820 USDC.
        var p = new BorrowerPosition(
                Address.of("0x0000000000000000000000000000000000000001"),
                BigInteger.valueOf(150_000_000L),
                BigInteger.valueOf(74_820_000_000L));
        var map = LiquidationMap.of(WBTC, USDC, List.of(p), new BigInteger("860000000000000000"), price, 100, 5000);
        return new MarketMapView(ID, "WBTC/USDC 86%", 10, map.against(depth), 10, 1);
    }

    /** 60,000 USDC per WBTC in Morpho's scale: 60000e6 × 1e36 / 1e8. */
    static BigInteger price(long usdc) {
        return BigInteger.valueOf(usdc).multiply(BigInteger.TEN.pow(34));
    }

    @Test
    void gaugesFollowTheLatestMapInWholeTokens() {
        var registry = new SimpleMeterRegistry();
        var maps = new MarketMaps();
        var metrics = new MarketMapMetrics(registry, maps, List.of(500, 1000));
        var first = view(price(60_000), Map.of(500, BigInteger.valueOf(50_000_000L), 1000, BigInteger.ZERO));
        maps.put(first);
        metrics.refreshed(List.of(first));

        var within5 = registry.get(MarketMapMetrics.LIQUIDATABLE_WITHIN)
                .tag("market", "WBTC/USDC 86%")
                .tag("pct", "5")
                .gauge();
        assertThat(within5.value()).isCloseTo(1.5, within(1e-12)); // −3.3%: within 5%
        assertThat(registry.get(MarketMapMetrics.DEPTH_WITHIN)
                        .tag("pct", "5")
                        .gauge()
                        .value())
                .isCloseTo(0.5, within(1e-12));
        assertThat(registry.get(MarketMapMetrics.CASCADE_RATIO)
                        .tag("pct", "5")
                        .gauge()
                        .value())
                .isCloseTo(3.0, within(1e-12));
        assertThat(registry.get(MarketMapMetrics.CASCADE_RATIO)
                        .tag("pct", "10")
                        .gauge()
                        .value())
                .isInfinite();

        // The price rises: the position is now 17% away, out of the 5% and 10% levels.
        var second = view(price(70_000), Map.of());
        maps.put(second);
        metrics.refreshed(List.of(second));
        assertThat(within5.value()).isZero();
        assertThat(registry.get(MarketMapMetrics.DEPTH_WITHIN)
                        .tag("pct", "5")
                        .gauge()
                        .value())
                .isNaN();
        assertThat(registry.find(MarketMapMetrics.LIQUIDATABLE_WITHIN).gauges()).hasSize(2);
    }
}
