package io.unwind.engine;

import io.unwind.domain.money.Token;
import io.unwind.domain.risk.Cascade;
import io.unwind.domain.risk.LiquidationMap;
import java.math.BigInteger;
import java.util.Objects;

/**
 * One market's liquidation map as last refreshed: the queue at {@code block} and the venues' depth measured at
 * {@code depthBlock} (empty when not measured yet, or when no venue is configured).
 *
 * @param label "WETH/USDC 86%", for people and metric labels
 * @param borrowers borrowers with a position on the market (those without debt included)
 */
public record MarketMapView(
        String marketId, String label, long block, Cascade cascade, long depthBlock, int borrowers) {
    public MarketMapView {
        Objects.requireNonNull(marketId, "marketId");
        Objects.requireNonNull(cascade, "cascade");
    }

    public LiquidationMap map() {
        return cascade.map();
    }

    public Token collateral() {
        return map().collateralToken();
    }

    public BigInteger price() {
        return map().price();
    }

    /** What the keeper multiplies its volatility by for this market (1 to 3; see {@link Cascade}). */
    public double volatilityMultiplier() {
        return cascade.volatilityMultiplier();
    }

    /** "312 WETH liquidatable within 5% vs 120 WETH of depth: volatility ×2.6". */
    public String explanation() {
        return cascade.explanation();
    }
}
