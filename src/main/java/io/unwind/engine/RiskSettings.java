package io.unwind.engine;

import io.unwind.domain.risk.PriceVolatility;

/**
 * How the keeper estimates each market's volatility for its predictions (see docs/RISK.md).
 *
 * @param halfLives the fast and slow EWMAs' half-lives, in blocks
 * @param minVolatility the least annual volatility assumed, whatever the recent prices (a market that has not moved for
 *     an hour is not thereby safe)
 * @param blockSeconds the chain's block time, to express volatility a year
 */
public record RiskSettings(PriceVolatility.HalfLives halfLives, double minVolatility, double blockSeconds) {
    public static final RiskSettings DEFAULTS = new RiskSettings(PriceVolatility.HalfLives.DEFAULT, 0.2, 12);

    public RiskSettings {
        java.util.Objects.requireNonNull(halfLives, "halfLives");
        if (!(minVolatility >= 0) || minVolatility > 100)
            throw new IllegalArgumentException("minVolatility in [0, 100]");
        if (!(blockSeconds > 0) || blockSeconds > 3600) throw new IllegalArgumentException("blockSeconds in (0, 3600]");
    }

    public double blocksPerYear() {
        return 365.25 * 24 * 3600 / blockSeconds;
    }

    /** The floor, per block. */
    public double floorPerBlock() {
        return minVolatility / Math.sqrt(blocksPerYear());
    }
}
