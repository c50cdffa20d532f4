package io.unwind.domain.risk;

/**
 * How close a position is to liquidation, as a dimensionless score in [0, 1] that the fee policy turns into a tip and a
 * cap: 0 means "at the trigger on a calm market", 1 means "at or past the liquidation LTV, or a sustained move like the
 * recent one would liquidate it within the horizon".
 *
 * @param score the combined score, {@code 1 - (1 - ltvComponent) * (1 - volatilityComponent)}
 * @param ltvComponent (ltv - trigger) / (lltv - trigger), clamped to [0, 1]
 * @param volatilityComponent horizon / blocksToLiquidation, clamped to [0, 1]
 * @param blocksToLiquidation blocks of the recent per-block adverse price move until LTV reaches the liquidation LTV;
 *     {@code +Infinity} on a still market, 0 at or past it
 */
public record Urgency(double score, double ltvComponent, double volatilityComponent, double blocksToLiquidation) {

    /** Score at or above which an action is {@link Level#URGENT}. */
    public static final double URGENT_FROM = 0.5;
    /** Score at or above which an action is {@link Level#CRITICAL}. */
    public static final double CRITICAL_FROM = 0.9;

    /** No urgency at all: a position at its trigger on a still market. */
    public static final Urgency NONE = new Urgency(0, 0, 0, Double.POSITIVE_INFINITY);

    /** A coarse reading of the score, for people, logs and metric labels. */
    public enum Level {
        ROUTINE,
        URGENT,
        CRITICAL
    }

    public Urgency {
        requireUnit(score, "score");
        requireUnit(ltvComponent, "ltvComponent");
        requireUnit(volatilityComponent, "volatilityComponent");
        if (Double.isNaN(blocksToLiquidation) || blocksToLiquidation < 0) {
            throw new IllegalArgumentException("blocksToLiquidation must be >= 0: " + blocksToLiquidation);
        }
    }

    /** An urgency with only a score, for callers (and tests) that have no components to report. */
    public static Urgency ofScore(double score) {
        return new Urgency(score, score, 0, Double.POSITIVE_INFINITY);
    }

    public Level level() {
        if (score >= CRITICAL_FROM) return Level.CRITICAL;
        if (score >= URGENT_FROM) return Level.URGENT;
        return Level.ROUTINE;
    }

    public boolean atLeast(double threshold) {
        return score >= threshold;
    }

    private static void requireUnit(double v, String name) {
        if (Double.isNaN(v) || v < 0 || v > 1) throw new IllegalArgumentException(name + " must be in [0, 1]: " + v);
    }
}
