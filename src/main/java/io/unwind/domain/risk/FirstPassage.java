package io.unwind.domain.risk;

/**
 * The probability that a driftless geometric Brownian motion (a price with no expected trend and constant volatility)
 * falls to a level below it within a horizon: the chance that the collateral's price crosses a position's liquidation
 * price before the keeper's exit completes. See docs/RISK.md for the model, its assumptions and its weaknesses.
 *
 * <p>With the price P, the barrier P* &lt; P, b = ln(P* / P) &lt; 0, per-block volatility σ and horizon H blocks, the
 * log-price is a Brownian motion with drift -σ²/2 per block (so that the price itself has none), and by the reflection
 * principle:
 *
 * <pre>
 *   p(H) = Φ((b + σ²H/2) / (σ√H)) + (P/P*) · Φ((b − σ²H/2) / (σ√H))
 * </pre>
 *
 * For small σ√H this is close to the driftless-log form 2·Φ(b / (σ√H)); the exact two-term form is used everywhere (it
 * costs nothing more). It monitors the price continuously; a chain's oracle is read once a block, so a Monte Carlo that
 * looks only at block ends finds a slightly lower probability.
 */
public final class FirstPassage {
    private FirstPassage() {}

    /**
     * @param logDistance ln(P* / P): negative while the price is above the barrier; 0 or more means already crossed (1)
     * @param sigmaPerBlock the log-price's standard deviation over one block (≥ 0)
     * @param horizonBlocks the horizon in blocks (≥ 0)
     * @return the probability in [0, 1] of reaching the barrier within the horizon
     */
    public static double probability(double logDistance, double sigmaPerBlock, double horizonBlocks) {
        if (Double.isNaN(logDistance)) throw new IllegalArgumentException("logDistance is NaN");
        if (!(sigmaPerBlock >= 0) || Double.isInfinite(sigmaPerBlock)) {
            throw new IllegalArgumentException("sigmaPerBlock must be finite and >= 0: " + sigmaPerBlock);
        }
        if (!(horizonBlocks >= 0) || Double.isInfinite(horizonBlocks)) {
            throw new IllegalArgumentException("horizonBlocks must be finite and >= 0: " + horizonBlocks);
        }
        if (logDistance >= 0) return 1;
        if (sigmaPerBlock == 0 || horizonBlocks == 0) return 0;
        double s = sigmaPerBlock * Math.sqrt(horizonBlocks);
        double half = sigmaPerBlock * sigmaPerBlock * horizonBlocks / 2;
        double first = Normal.cdf((logDistance + half) / s);
        double second = Math.exp(-logDistance) * Normal.cdf((logDistance - half) / s);
        return Math.max(0, Math.min(1, first + second));
    }

    /** The approximation 2·Φ(b / (σ√H)) (no drift in the log-price), for comparison and for the documentation. */
    public static double approximate(double logDistance, double sigmaPerBlock, double horizonBlocks) {
        if (logDistance >= 0) return 1;
        if (sigmaPerBlock == 0 || horizonBlocks == 0) return 0;
        return Math.min(1, 2 * Normal.cdf(logDistance / (sigmaPerBlock * Math.sqrt(horizonBlocks))));
    }
}
