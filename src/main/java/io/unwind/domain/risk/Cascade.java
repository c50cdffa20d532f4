package io.unwind.domain.risk;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A market's liquidation queue read against the venues' depth: when the collateral that liquidations would force onto
 * the market within a drop exceeds what the venues absorb within the same drop, the liquidations themselves push the
 * price further (a cascade), so a fall is likelier to go on than the measured volatility says.
 *
 * <p>{@link #volatilityMultiplier()} is what the keeper multiplies its volatility by:
 *
 * <pre>
 *   r = the largest cascadeRatio(d) over the judged drops (5% and 10% where measured; else every measured drop)
 *   multiplier = 1                          when r <= 1
 *              = 1 + min(MAX_EXTRA, r − 1)  otherwise, so at most 1 + MAX_EXTRA = 3
 * </pre>
 *
 * A linear rise keeps the reading easy to explain ("forced selling 2.6× the depth: volatility ×2.6"); the cap keeps a
 * thin or unmeasured venue (zero depth: ratio infinite) from making every position look lost, which would sell more
 * than the policy's band for no better protection. Drops past 10% are shown but not judged: by then the keeper has
 * acted on its trigger for every vault it protects.
 */
public final class Cascade {
    /** The largest addition to the multiplier: the multiplier is at most 3. */
    public static final double MAX_EXTRA = 2.0;
    /** The drops the multiplier is judged at, in bps. */
    public static final int[] JUDGED_DROPS_BPS = {500, 1_000};

    private final LiquidationMap map;
    private final TreeMap<Integer, BigInteger> depth;

    Cascade(LiquidationMap map, Map<Integer, BigInteger> depthByDropBps) {
        this.map = map;
        this.depth = new TreeMap<>(depthByDropBps);
        for (var e : depth.entrySet()) {
            if (e.getKey() <= 0 || e.getKey() > 10_000 || e.getValue().signum() < 0)
                throw new IllegalArgumentException("depth " + e.getValue() + " at " + e.getKey() + " bps");
        }
    }

    public LiquidationMap map() {
        return map;
    }

    /** The measured depth per drop (bps), ascending. */
    public Map<Integer, BigInteger> depth() {
        return java.util.Collections.unmodifiableMap(depth);
    }

    /** Collateral the venues absorb before their average price is {@code dropBps} under the oracle's, if measured. */
    public Optional<BigInteger> depthWithin(int dropBps) {
        return Optional.ofNullable(depth.get(dropBps));
    }

    /**
     * {@code liquidatableWithin(d) / depthWithin(d)}: above 1, forced selling outruns the venues. Infinite when there
     * is forced selling and no depth; 0 when there is no forced selling; empty when the depth at {@code d} was not
     * measured.
     */
    public Optional<Double> cascadeRatio(int dropBps) {
        return depthWithin(dropBps).map(d -> ratio(map.liquidatableWithin(dropBps), d));
    }

    static double ratio(BigInteger liquidatable, BigInteger depth) {
        if (liquidatable.signum() == 0) return 0;
        if (depth.signum() == 0) return Double.POSITIVE_INFINITY;
        return new BigDecimal(liquidatable)
                .divide(new BigDecimal(depth), MathContext.DECIMAL64)
                .doubleValue();
    }

    /** The drop whose ratio the multiplier is taken from (the worst judged one), if any depth was measured. */
    public Optional<Integer> worstDrop() {
        var judged = new java.util.ArrayList<Integer>();
        for (int d : JUDGED_DROPS_BPS) if (depth.containsKey(d)) judged.add(d);
        if (judged.isEmpty()) judged.addAll(depth.keySet());
        Integer worst = null;
        double worstRatio = -1;
        for (int d : judged) {
            double r = cascadeRatio(d).orElse(0.0);
            if (r > worstRatio) {
                worstRatio = r;
                worst = d;
            }
        }
        return Optional.ofNullable(worst);
    }

    /** ≥ 1 and ≤ 1 + {@link #MAX_EXTRA}: see the class comment. 1 when no depth was measured. */
    public double volatilityMultiplier() {
        return worstDrop()
                .flatMap(this::cascadeRatio)
                .map(r -> r <= 1 ? 1.0 : 1 + Math.min(MAX_EXTRA, r - 1))
                .orElse(1.0);
    }

    /**
     * One line for people: "312 WETH liquidatable within 5% vs 120 WETH of depth: volatility ×2.6", at the worst judged
     * drop.
     */
    public String explanation() {
        Optional<Integer> worst = worstDrop();
        if (worst.isEmpty()) return "venue depth not measured: volatility ×1";
        int d = worst.get();
        String within = map.collateral(map.liquidatableWithin(d)).display() + " liquidatable within " + percent(d)
                + " vs " + map.collateral(depth.get(d)).display() + " of depth";
        return within + ": volatility ×" + times(volatilityMultiplier());
    }

    static String percent(int bps) {
        return BigDecimal.valueOf(bps, 2).stripTrailingZeros().toPlainString() + "%";
    }

    static String times(double m) {
        return BigDecimal.valueOf(m)
                .setScale(1, RoundingMode.HALF_UP)
                .stripTrailingZeros()
                .toPlainString();
    }
}
