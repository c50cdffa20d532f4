package io.unwind.engine;

import static io.unwind.domain.testing.Fixtures.USDC;
import static io.unwind.domain.testing.Fixtures.WETH;
import static io.unwind.domain.testing.Fixtures.vault;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.unwind.domain.position.VaultHealth;
import io.unwind.domain.risk.Prediction;
import java.math.BigInteger;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What the keeper measures for its predictions: inclusion and detection delays from its own ticks and receipts, the
 * pool's volatility counted only while the oracle is quiet, and the liquidation queue's multiplier.
 */
@Tag("pure")
class RiskTrackerTest {
    static final String MARKET = "0x" + "11".repeat(32);
    static final BigInteger E36 = BigInteger.TEN.pow(36);

    static BigInteger price(double p) {
        return new java.math.BigDecimal(p)
                .multiply(new java.math.BigDecimal(E36))
                .toBigInteger();
    }

    @Test
    void theHorizonIsMeasuredFromTicksAndReceipts() {
        RiskTracker r = new RiskTracker(RiskSettings.DEFAULTS, RiskTracker.Store.NONE);
        assertThat(r.detectionBlocks()).isEqualTo(1);
        assertThat(r.inclusionBlocks()).isEqualTo(1);
        for (long b = 1; b <= 40; b += 2) r.ticked(b); // a keeper that sees every other head
        assertThat(r.detectionBlocks()).isCloseTo(2, within(0.05));
        r.included(3);
        assertThat(r.inclusionBlocks()).isEqualTo(3);
        for (int i = 0; i < 30; i++) r.included(1);
        assertThat(r.inclusionBlocks()).isCloseTo(1, within(0.01));

        VaultHealth h =
                vault(WETH, USDC).collateral("10").price("3000").ltvBps(7600).build();
        Prediction p = r.predict(h, 3, 2);
        assertThat(p.exit().blocks()).isCloseTo(2 + 3 * 1 + 2, within(0.1));
    }

    @Test
    void thePoolCountsOnlyWhileTheOracleIsQuiet() {
        RiskTracker r = new RiskTracker(RiskSettings.DEFAULTS, RiskTracker.Store.NONE);
        // The oracle moves every block by a little; the pool swings by 2% a block.
        for (long b = 1; b <= 30; b++) {
            r.observeOracle(MARKET, b, price(3000 + b));
            r.observePool(MARKET, b, price(3000 * (b % 2 == 0 ? 1.02 : 1.0)));
        }
        double moving = r.reading(MARKET).sigmaPerBlock();
        assertThat(moving).isLessThan(0.001);
        // The oracle stops (a feed on a heartbeat): after five quiet blocks the pool's swings count.
        for (long b = 31; b <= 40; b++) {
            r.observeOracle(MARKET, b, price(3030));
            r.observePool(MARKET, b, price(3000 * (b % 2 == 0 ? 1.02 : 1.0)));
            if (b == 33) assertThat(r.reading(MARKET).sigmaPerBlock()).isLessThan(0.001); // quiet for 2 blocks only
        }
        assertThat(r.reading(MARKET).sigmaPerBlock()).isGreaterThan(0.01);
        assertThat(r.reading(MARKET).explanation()).contains("pool").doesNotContain("not counted");
    }

    @Test
    void theLiquidationQueueMultipliesTheVolatilityAndSaysWhy() {
        RiskTracker r = new RiskTracker(RiskSettings.DEFAULTS, RiskTracker.Store.NONE);
        for (long b = 1; b <= 10; b++) r.observeOracle(MARKET, b, price(b % 2 == 0 ? 3030 : 3000));
        double alone = r.reading(MARKET).sigmaPerBlock();
        r.useQueue(m -> m.equals(MARKET)
                ? Optional.of(new RiskTracker.Stress(2.5, "300 WETH liquidatable within 5%"))
                : Optional.empty());
        assertThat(r.reading(MARKET).sigmaPerBlock()).isCloseTo(2.5 * alone, within(1e-12));
        assertThat(r.reading(MARKET).describe()).contains("x2.50 300 WETH liquidatable within 5%");
        assertThat(r.reading("0x" + "22".repeat(32)).sigmaPerBlock()).isEqualTo(RiskSettings.DEFAULTS.floorPerBlock());
    }
}
