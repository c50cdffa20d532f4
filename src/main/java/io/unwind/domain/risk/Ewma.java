package io.unwind.domain.risk;

/**
 * An exponentially weighted mean of squared log returns per block, with its half-life in blocks, as a normalized sum:
 * {@code variance = weighted / weight}, where each observation of a return r over Δ blocks counts as Δ blocks of
 * variance r²/Δ, and everything older decays by λ^Δ with λ = 2^(-1/halfLife). Keeping the weight (rather than starting
 * from a guess) makes the first observations an unbiased estimate instead of one pulled toward zero.
 *
 * @param weighted the decayed sum of weight × variance per block
 * @param weight the decayed sum of weights, in (0, 1]; 0 before any observation
 */
public record Ewma(double weighted, double weight) {
    public static final Ewma EMPTY = new Ewma(0, 0);

    public Ewma {
        if (!(weighted >= 0) || Double.isInfinite(weighted))
            throw new IllegalArgumentException("weighted: " + weighted);
        if (!(weight >= 0) || weight > 1 + 1e-9) throw new IllegalArgumentException("weight: " + weight);
    }

    /** This average after a log return {@code r} observed over {@code blocks} (≥ 1) blocks. */
    public Ewma observe(double r, long blocks, double halfLifeBlocks) {
        if (blocks < 1) throw new IllegalArgumentException("blocks must be >= 1: " + blocks);
        if (!(halfLifeBlocks > 0)) throw new IllegalArgumentException("halfLifeBlocks must be > 0");
        if (Double.isNaN(r) || Double.isInfinite(r)) throw new IllegalArgumentException("return: " + r);
        double decay = Math.pow(2, -blocks / halfLifeBlocks);
        double perBlock = r * r / blocks;
        return new Ewma(decay * weighted + (1 - decay) * perBlock, Math.min(1, decay * weight + (1 - decay)));
    }

    /** Variance of the log price per block; 0 before any observation. */
    public double variancePerBlock() {
        return weight == 0 ? 0 : weighted / weight;
    }

    public double sigmaPerBlock() {
        return Math.sqrt(variancePerBlock());
    }
}
