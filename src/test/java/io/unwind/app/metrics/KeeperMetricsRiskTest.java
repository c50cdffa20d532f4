package io.unwind.app.metrics;

import static io.unwind.domain.testing.Fixtures.USDC;
import static io.unwind.domain.testing.Fixtures.WETH;
import static io.unwind.domain.testing.Fixtures.vault;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.unwind.domain.chain.BlockRef;
import io.unwind.domain.chain.TxHash;
import io.unwind.domain.plan.ActReason;
import io.unwind.domain.risk.ExitTime;
import io.unwind.domain.risk.MarketVolatility;
import io.unwind.domain.risk.Prediction;
import io.unwind.engine.TickResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The risk model's metrics: each market's volatility as the keeper predicts with it, and the early actions. */
@Tag("pure")
class KeeperMetricsRiskTest {
    static final String MARKET = "0x" + "ab".repeat(32);

    @Test
    void eachPricedMarketGetsAVolatilityGaugeThatFollowsTheEstimate() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        KeeperMetrics m = new KeeperMetrics(registry, Clock.systemUTC());
        AtomicReference<Map<String, MarketVolatility.Reading>> now = new AtomicReference<>(Map.of());
        m.volatility(now::get);
        BlockRef head =
                new BlockRef(10, new TxHash("0x" + "01".repeat(32)), new TxHash("0x" + "02".repeat(32)), Instant.EPOCH);
        m.ticked(new TickResult(head, List.of(), Duration.ZERO, Duration.ZERO, Duration.ZERO));
        assertThat(registry.find(KeeperMetrics.MARKET_VOLATILITY).gauges()).isEmpty();

        now.set(Map.of(MARKET, new MarketVolatility.Reading(0.001, 1.62, "")));
        m.ticked(new TickResult(head, List.of(), Duration.ZERO, Duration.ZERO, Duration.ZERO));
        var g = registry.find(KeeperMetrics.MARKET_VOLATILITY)
                .tag("market", MARKET)
                .gauge();
        assertThat(g).isNotNull();
        assertThat(g.value()).isEqualTo(1.62);
        now.set(Map.of(MARKET, new MarketVolatility.Reading(0.0005, 0.81, "")));
        assertThat(g.value()).isEqualTo(0.81);
        m.ticked(new TickResult(head, List.of(), Duration.ZERO, Duration.ZERO, Duration.ZERO));
        assertThat(registry.find(KeeperMetrics.MARKET_VOLATILITY).gauges()).hasSize(1);
    }

    @Test
    void onlyPredictedActionsAreCountedAsEarly() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        KeeperMetrics m = new KeeperMetrics(registry, Clock.systemUTC());
        var h = vault(WETH, USDC).collateral("10").price("3000").ltvBps(7600).build();
        BlockRef head =
                new BlockRef(10, new TxHash("0x" + "01".repeat(32)), new TxHash("0x" + "02".repeat(32)), Instant.EPOCH);
        m.acting(h, head, ActReason.TRIGGER);
        Prediction p = new Prediction(0.2, new MarketVolatility.Reading(0.01, 16, ""), new ExitTime(1, 1, 1, 0));
        m.acting(h, head, ActReason.predicted(p, 0.05));
        m.acting(h, head, ActReason.predicted(p, 0.05));
        assertThat(registry.find(KeeperMetrics.ACTIONS_PREDICTED).counter().count())
                .isEqualTo(2);
    }
}
