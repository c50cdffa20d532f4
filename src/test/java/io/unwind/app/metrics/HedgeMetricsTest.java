package io.unwind.app.metrics;

import static io.unwind.domain.testing.Fixtures.USDC;
import static io.unwind.domain.testing.Fixtures.WETH;
import static io.unwind.domain.testing.Fixtures.vault;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.unwind.domain.chain.Address;
import io.unwind.engine.Hedger;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** One series per configured hedge, in whole loan tokens at the vault's price, NaN until the hedge is read. */
@Tag("pure")
class HedgeMetricsTest {
    static final Address VAULT = Address.of("0x" + "a1".repeat(20));
    static final Address HEDGE = Address.of("0x" + "a2".repeat(20));

    /** A vault of 10 WETH; its hedge short 4 WETH against 20,000 USDC, 9,000 USDC put in, 5% a year. */
    static Hedger.View view(String price) {
        return io.unwind.testing.HedgeViews.view(HEDGE, VAULT, price, "hold");
    }

    @Test
    void gaugesShowTheHedgesLastReading() {
        var registry = new SimpleMeterRegistry();
        Map<Address, Hedger.View> views = new ConcurrentHashMap<>();
        new HedgeMetrics(registry, Map.of(VAULT, HEDGE), () -> Map.copyOf(views));
        java.util.function.Function<String, Double> gauge = name -> registry.get(name)
                .tag("hedge", HEDGE.hex())
                .tag("vault", VAULT.hex())
                .gauge()
                .value();
        assertThat(gauge.apply(HedgeMetrics.NOTIONAL)).as("not read yet").isNaN();
        assertThat(gauge.apply(HedgeMetrics.RATIO)).isNaN();

        views.put(HEDGE, view("3000"));
        // As in the keeper, nothing but the registry holds the metrics: its gauges must survive a collection.
        for (int i = 0; i < 3; i++) System.gc();
        assertThat(gauge.apply(HedgeMetrics.NOTIONAL)).isCloseTo(12_000, within(1e-9));
        assertThat(gauge.apply(HedgeMetrics.RATIO)).isCloseTo(0.4, within(1e-12));
        assertThat(gauge.apply(HedgeMetrics.LTV)).isCloseTo(0.6, within(1e-12));
        assertThat(gauge.apply(HedgeMetrics.PNL))
                .as("8,000 of equity on 9,000 put in")
                .isCloseTo(-1_000, within(1e-9));
        assertThat(gauge.apply(HedgeMetrics.FUNDING_PER_YEAR)).isCloseTo(600, within(1e-3));

        // The price falls: the short gains.
        views.put(HEDGE, view("2500"));
        assertThat(gauge.apply(HedgeMetrics.NOTIONAL)).isCloseTo(10_000, within(1e-9));
        assertThat(gauge.apply(HedgeMetrics.LTV)).isCloseTo(0.5, within(1e-12));
        assertThat(gauge.apply(HedgeMetrics.PNL)).isCloseTo(1_000, within(1e-9));
        assertThat(gauge.apply(HedgeMetrics.FUNDING_PER_YEAR)).isCloseTo(500, within(1e-3));

        // No price: the values are unknown, the short's share of the collateral is not.
        var unpriced = new Hedger.View(
                view("3000").state(),
                vault(WETH, USDC).address(VAULT).collateral("10").build(),
                "no price",
                43);
        views.put(HEDGE, unpriced);
        assertThat(gauge.apply(HedgeMetrics.NOTIONAL)).isNaN();
        assertThat(gauge.apply(HedgeMetrics.PNL)).isNaN();
        assertThat(gauge.apply(HedgeMetrics.RATIO)).isCloseTo(0.4, within(1e-12));
    }
}
