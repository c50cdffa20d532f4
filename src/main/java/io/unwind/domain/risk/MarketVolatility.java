package io.unwind.domain.risk;

import java.math.BigInteger;
import java.util.Locale;

/**
 * One market's realized volatility from two price series: its oracle, read every block, and its pool (the price a small
 * sale would get), which keeps moving when an oracle updates only on a heartbeat or a deviation. Each series keeps its
 * own returns (mixing them would count the oracle's catch-up step twice); the market's volatility is the larger.
 */
public record MarketVolatility(PriceVolatility oracle, PriceVolatility pool) {
    public static final MarketVolatility EMPTY = new MarketVolatility(PriceVolatility.EMPTY, PriceVolatility.EMPTY);

    public MarketVolatility observeOracle(long block, BigInteger price, PriceVolatility.HalfLives h) {
        return new MarketVolatility(oracle.observe(block, price, h), pool);
    }

    public MarketVolatility observePool(long block, BigInteger price, PriceVolatility.HalfLives h) {
        return new MarketVolatility(oracle, pool.observe(block, price, h));
    }

    /**
     * The volatility the keeper plans with: the largest of the oracle's and the pool's stressed estimates and the
     * floor, times the liquidation queue's multiplier (≥ 1).
     *
     * @param floorPerBlock the least volatility assumed per block, whatever the recent prices
     * @param queueMultiplier from the market's liquidation map: forced selling beyond the venues' depth raises it
     * @param queueExplanation why the multiplier is what it is (empty when 1)
     * @param blocksPerYear to express the result a year, for people
     */
    public Reading reading(
            double floorPerBlock, double queueMultiplier, String queueExplanation, double blocksPerYear) {
        return reading(floorPerBlock, queueMultiplier, queueExplanation, blocksPerYear, true);
    }

    /**
     * The same, counting the pool's estimate only when {@code poolCounts}: the keeper counts it while the oracle is
     * quiet (a feed that updates on a heartbeat or a deviation threshold hides the moves in between), not while the
     * oracle moves every block, when the pool's own noise (the keeper's and others' sales before arbitrage) would only
     * add false alarms.
     */
    public Reading reading(
            double floorPerBlock,
            double queueMultiplier,
            String queueExplanation,
            double blocksPerYear,
            boolean poolCounts) {
        if (!(queueMultiplier >= 1)) throw new IllegalArgumentException("queueMultiplier must be >= 1");
        double poolSigma = poolCounts ? pool.sigmaPerBlock() : 0;
        double base = Math.max(Math.max(oracle.sigmaPerBlock(), poolSigma), floorPerBlock);
        double sigma = base * queueMultiplier;
        double year = Math.sqrt(blocksPerYear);
        String parts = String.format(
                Locale.ROOT,
                "oracle fast %s / slow %s, pool %s, floor %s",
                pct(oracle.fast().sigmaPerBlock() * year),
                pct(oracle.slow().sigmaPerBlock() * year),
                pool.samples() == 0
                        ? "unread"
                        : pct(pool.sigmaPerBlock() * year) + (poolCounts ? "" : " (not counted: the oracle moves)"),
                pct(floorPerBlock * year));
        if (queueMultiplier > 1)
            parts += "; x" + String.format(Locale.ROOT, "%.2f", queueMultiplier) + " " + queueExplanation;
        return new Reading(sigma, sigma * year, parts);
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.0f%%", v * 100);
    }

    /**
     * @param sigmaPerBlock the volatility of the log price over one block
     * @param sigmaAnnual the same a year (for people and metrics)
     * @param explanation where it comes from
     */
    public record Reading(double sigmaPerBlock, double sigmaAnnual, String explanation) {
        public String describe() {
            return "σ " + pct(sigmaAnnual) + " a year (" + explanation + ")";
        }
    }
}
