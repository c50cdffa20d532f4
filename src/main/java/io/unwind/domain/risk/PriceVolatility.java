package io.unwind.domain.risk;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * The realized volatility of one price series (a market's oracle, or its pool): two EWMAs of squared log returns, a
 * fast one that reacts within minutes and a slow one that remembers the last hours, from the last price seen. Pure and
 * immutable: {@link #observe} returns the next state. Prices are integers (the oracle's scale); only their ratio is
 * used.
 *
 * @param block the block of the last price seen (-1 before any)
 * @param price the last price seen (0 before any)
 * @param fast the fast average
 * @param slow the slow average
 * @param samples returns observed so far (capped)
 */
public record PriceVolatility(long block, BigInteger price, Ewma fast, Ewma slow, int samples) {
    public static final PriceVolatility EMPTY = new PriceVolatility(-1, BigInteger.ZERO, Ewma.EMPTY, Ewma.EMPTY, 0);

    /**
     * The half-lives, in blocks: fast 25 blocks (5 minutes of 12 s blocks), slow 300 (an hour).
     *
     * @param fastHalfLifeBlocks half-life of the fast average
     * @param slowHalfLifeBlocks half-life of the slow average
     */
    public record HalfLives(double fastHalfLifeBlocks, double slowHalfLifeBlocks) {
        public static final HalfLives DEFAULT = new HalfLives(25, 300);

        public HalfLives {
            if (!(fastHalfLifeBlocks > 0) || !(slowHalfLifeBlocks >= fastHalfLifeBlocks)) {
                throw new IllegalArgumentException(
                        "half-lives must satisfy 0 < fast <= slow: " + fastHalfLifeBlocks + ", " + slowHalfLifeBlocks);
            }
        }
    }

    public PriceVolatility {
        if (price == null || price.signum() < 0) throw new IllegalArgumentException("price must be >= 0");
    }

    /**
     * The state after seeing {@code newPrice} at {@code newBlock}. A price at or before the last block, or a price of
     * zero (an oracle that did not answer), changes nothing. The first price only sets the start. A gap of several
     * blocks counts as that many blocks of one return.
     */
    public PriceVolatility observe(long newBlock, BigInteger newPrice, HalfLives h) {
        if (newPrice.signum() <= 0 || newBlock <= block) return this;
        if (price.signum() == 0) return new PriceVolatility(newBlock, newPrice, fast, slow, samples);
        double r = logRatio(newPrice, price);
        long blocks = newBlock - block;
        return new PriceVolatility(
                newBlock,
                newPrice,
                fast.observe(r, blocks, h.fastHalfLifeBlocks()),
                slow.observe(r, blocks, h.slowHalfLifeBlocks()),
                Math.min(samples + 1, 1_000_000));
    }

    /** The larger of the fast and slow estimates, per block: a stressed volatility that rises fast and falls slowly. */
    public double sigmaPerBlock() {
        return Math.max(fast.sigmaPerBlock(), slow.sigmaPerBlock());
    }

    /** ln(a / b) of two positive integers of any size, without losing precision to overflow. */
    static double logRatio(BigInteger a, BigInteger b) {
        return Math.log(new BigDecimal(a)
                .divide(new BigDecimal(b), java.math.MathContext.DECIMAL64)
                .doubleValue());
    }
}
