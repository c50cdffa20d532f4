package io.unwind.domain.risk;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/**
 * Turns the distance to liquidation and the recent price volatility into an {@link Urgency}. Pure; the only doubles are
 * dimensionless ratios (a score is not money).
 *
 * <p>Two readings are combined as independent risks, {@code 1 - (1 - a)(1 - b)}, so that either one alone can make an
 * action urgent and both together make it more so:
 *
 * <ul>
 *   <li>a = (ltv - trigger) / (lltv - trigger): how far past the trigger, towards the liquidation LTV;
 *   <li>b = horizon / blocksToLiquidation, where blocksToLiquidation = (1 - ltv / lltv) / movePerBlock is how many
 *       blocks of the recent adverse price move per block it takes to lose the remaining margin (LTV scales with 1 /
 *       price, so a relative price drop of 1 - ltv/lltv brings LTV to the LLTV).
 * </ul>
 */
public final class UrgencyModel {
    private static final MathContext MC = MathContext.DECIMAL64;

    private UrgencyModel() {}

    /**
     * @param ltv the position's LTV (WAD; {@code Ltv.UINT256_MAX} for worthless collateral)
     * @param triggerWad the policy's trigger (WAD)
     * @param lltv the market's liquidation LTV (WAD)
     * @param priceMovePerBlockBps recent absolute collateral price move per block, in basis points (>= 0)
     * @param horizonBlocks a sustained move that liquidates within this many blocks is fully urgent (>= 1)
     */
    public static Urgency assess(
            BigInteger ltv, BigInteger triggerWad, BigInteger lltv, double priceMovePerBlockBps, int horizonBlocks) {
        if (horizonBlocks < 1) throw new IllegalArgumentException("horizonBlocks must be >= 1");
        if (Double.isNaN(priceMovePerBlockBps) || priceMovePerBlockBps < 0) {
            throw new IllegalArgumentException("priceMovePerBlockBps must be >= 0: " + priceMovePerBlockBps);
        }
        if (ltv.compareTo(lltv) >= 0) return new Urgency(1, 1, 1, 0);

        double a;
        if (ltv.compareTo(triggerWad) <= 0) {
            a = 0;
        } else if (lltv.compareTo(triggerWad) <= 0) {
            a = 1; // a trigger at or past the LLTV leaves no room: anything past it is as bad as it gets
        } else {
            a = ratio(ltv.subtract(triggerWad), lltv.subtract(triggerWad));
        }

        double margin = 1 - ratio(ltv, lltv); // relative price drop that brings LTV to the LLTV, in (0, 1]
        double move = priceMovePerBlockBps / 10_000.0;
        double blocks = move == 0 ? Double.POSITIVE_INFINITY : margin / move;
        double b = blocks == Double.POSITIVE_INFINITY ? 0 : clamp(horizonBlocks / blocks);

        double score = clamp(1 - (1 - a) * (1 - b));
        return new Urgency(score, clamp(a), b, blocks);
    }

    private static double ratio(BigInteger num, BigInteger den) {
        return new BigDecimal(num).divide(new BigDecimal(den), MC).doubleValue();
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }
}
