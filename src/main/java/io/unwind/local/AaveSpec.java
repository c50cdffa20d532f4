package io.unwind.local;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * How a local Aave V3 market is set up beside a Morpho market on the same two tokens: the collateral's risk parameters
 * (basis points, as Aave's configurator takes them), the loan tokens a lender supplies, the loan token's USD price
 * (Aave prices every asset in USD; the collateral's USD price is the market price times this), and each reserve's
 * interest-rate curve.
 *
 * @param ltvBps the collateral's loan-to-value for new borrowing
 * @param liquidationThresholdBps the collateral's liquidation threshold (Aave's "LLTV")
 * @param liquidationBonusBps 10000 plus the liquidator's bonus (10500 = 5%)
 * @param liquidity loan tokens (whole units) a lender supplies to the pool; 0 supplies none
 * @param loanUsdPrice USD per whole loan token
 * @param flashLoanPremiumBps the pool's flash-loan premium (Aave's deployment sets 9, 0.09%; the pool itself starts at
 *     0); pool-wide, so only the first market's spec sets it
 */
public record AaveSpec(
        int ltvBps,
        int liquidationThresholdBps,
        int liquidationBonusBps,
        BigDecimal liquidity,
        BigDecimal loanUsdPrice,
        RateCurve loanRates,
        RateCurve collateralRates,
        int flashLoanPremiumBps) {

    /**
     * The parameters of Aave V3.0's {@code DefaultReserveInterestRateStrategy}, as fractions (0.9 = 90%); the
     * deployment scales them to rays. Stable-rate parameters are required by the constructor, though nothing here
     * enables stable borrowing.
     */
    public record RateCurve(
            BigDecimal optimalUsage,
            BigDecimal baseVariableRate,
            BigDecimal variableSlope1,
            BigDecimal variableSlope2,
            BigDecimal stableSlope1,
            BigDecimal stableSlope2,
            BigDecimal baseStableRateOffset,
            BigDecimal stableRateExcessOffset,
            BigDecimal optimalStableToTotalDebtRatio) {

        /** Aave's mainnet curve for USDC in V3.0: kink at 90%, 4% then 60%. */
        public static RateCurve stablecoin() {
            return of("0.90", "0", "0.04", "0.60", "0.005", "0.60", "0.01", "0.08", "0.20");
        }

        /** Aave's mainnet curve for WETH in V3.0: kink at 80%, 3.8% then 80%. */
        public static RateCurve volatileAsset() {
            return of("0.80", "0", "0.038", "0.80", "0.04", "0.80", "0.02", "0.05", "0.20");
        }

        private static RateCurve of(String... v) {
            BigDecimal[] d = new BigDecimal[v.length];
            for (int i = 0; i < v.length; i++) d[i] = new BigDecimal(v[i]);
            return new RateCurve(d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8]);
        }
    }

    public AaveSpec {
        if (ltvBps <= 0 || ltvBps > liquidationThresholdBps)
            throw new IllegalArgumentException(
                    "need 0 < ltv <= liquidation threshold, got " + ltvBps + " and " + liquidationThresholdBps);
        if (liquidationBonusBps <= 10_000)
            throw new IllegalArgumentException(
                    "the liquidation bonus is 10000 plus the bonus, got " + liquidationBonusBps);
        // Aave's configurator refuses a threshold that the bonus would push above 100%.
        if ((long) liquidationThresholdBps * liquidationBonusBps > 10_000L * 10_000L)
            throw new IllegalArgumentException("liquidation threshold x bonus must not exceed 100%");
        if (liquidity.signum() < 0) throw new IllegalArgumentException("liquidity must be >= 0");
        if (loanUsdPrice.signum() <= 0) throw new IllegalArgumentException("the loan token's USD price must be > 0");
        Objects.requireNonNull(loanRates, "loanRates");
        Objects.requireNonNull(collateralRates, "collateralRates");
        if (flashLoanPremiumBps < 0 || flashLoanPremiumBps > 10_000)
            throw new IllegalArgumentException("flash-loan premium must be 0..10000 bps, got " + flashLoanPremiumBps);
    }

    /**
     * Collateral 80% LTV, 82.5% liquidation threshold, 5% bonus (Aave's WETH in V3.0); 50M loan tokens at $1; a 0.09%
     * flash-loan premium.
     */
    public static AaveSpec defaults() {
        return new AaveSpec(
                8000,
                8250,
                10500,
                new BigDecimal("50000000"),
                BigDecimal.ONE,
                RateCurve.stablecoin(),
                RateCurve.volatileAsset(),
                9);
    }

    public AaveSpec withLiquidity(BigDecimal l) {
        return new AaveSpec(
                ltvBps,
                liquidationThresholdBps,
                liquidationBonusBps,
                l,
                loanUsdPrice,
                loanRates,
                collateralRates,
                flashLoanPremiumBps);
    }

    public AaveSpec withCollateralRisk(int ltv, int liquidationThreshold, int liquidationBonus) {
        return new AaveSpec(
                ltv,
                liquidationThreshold,
                liquidationBonus,
                liquidity,
                loanUsdPrice,
                loanRates,
                collateralRates,
                flashLoanPremiumBps);
    }

    public AaveSpec withFlashLoanPremium(int bps) {
        return new AaveSpec(
                ltvBps,
                liquidationThresholdBps,
                liquidationBonusBps,
                liquidity,
                loanUsdPrice,
                loanRates,
                collateralRates,
                bps);
    }

    /** The collateral's USD price when the market price is {@code loanPerCollateral}. */
    public BigDecimal collateralUsdPrice(BigDecimal loanPerCollateral) {
        return loanPerCollateral.multiply(loanUsdPrice);
    }
}
