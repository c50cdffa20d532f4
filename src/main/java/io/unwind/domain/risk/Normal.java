package io.unwind.domain.risk;

/**
 * The standard normal distribution function Φ, by Marsaglia's series (G. Marsaglia, "Evaluating the Normal
 * Distribution", Journal of Statistical Software 11(4), 2004): Φ(x) = 1/2 + φ(x)·(x + x³/3 + x⁵/(3·5) + …), summed
 * until a term no longer changes the sum. Absolute error about 1e-15 for |x| ≤ 8; beyond, Φ is 0 or 1 to within 1e-15
 * and is returned as such. The domain uses only the JDK, which has no error function; the tests check this against
 * Apache Commons Math.
 */
public final class Normal {
    private static final double INV_SQRT_2PI = 0.3989422804014327;
    private static final double CUTOFF = 8.3;

    private Normal() {}

    /** Φ(x), the probability that a standard normal variable is at most {@code x}. */
    public static double cdf(double x) {
        if (Double.isNaN(x)) throw new IllegalArgumentException("x is NaN");
        if (x <= -CUTOFF) return 0;
        if (x >= CUTOFF) return 1;
        double sum = x;
        double term = x;
        double x2 = x * x;
        for (int i = 3; ; i += 2) {
            term = term * x2 / i;
            double next = sum + term;
            if (next == sum) break;
            sum = next;
        }
        double p = 0.5 + sum * INV_SQRT_2PI * Math.exp(-x2 / 2);
        return Math.max(0, Math.min(1, p));
    }
}
