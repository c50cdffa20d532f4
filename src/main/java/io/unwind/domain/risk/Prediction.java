package io.unwind.domain.risk;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.Locale;

/**
 * The chance that a position is liquidated before the keeper's exit could complete: the first-passage probability
 * ({@link FirstPassage}) of its collateral price through its liquidation price within the exit time. LTV scales with 1
 * / price, so the liquidation price is P* = P × LTV / LLTV and ln(P* / P) = ln(LTV / LLTV).
 *
 * @param probability in [0, 1]
 * @param volatility the volatility used
 * @param exit the horizon used
 */
public record Prediction(double probability, MarketVolatility.Reading volatility, ExitTime exit) {

    public static Prediction of(BigInteger ltvWad, BigInteger lltvWad, MarketVolatility.Reading v, ExitTime exit) {
        if (lltvWad.signum() <= 0) throw new IllegalArgumentException("lltv must be > 0");
        double p;
        if (ltvWad.compareTo(lltvWad) >= 0) {
            p = 1;
        } else if (ltvWad.signum() <= 0) {
            p = 0;
        } else {
            double ratio = new BigDecimal(ltvWad)
                    .divide(new BigDecimal(lltvWad), MathContext.DECIMAL64)
                    .doubleValue();
            p = FirstPassage.probability(Math.log(ratio), v.sigmaPerBlock(), exit.blocks());
        }
        return new Prediction(p, v, exit);
    }

    public String describe() {
        return String.format(
                Locale.ROOT, "p %s within %s at %s", percent(probability), exit.describe(), v().describe());
    }

    private MarketVolatility.Reading v() {
        return volatility;
    }

    /** A probability for people: two significant figures, down to 0.0001%. */
    public static String percent(double p) {
        if (p <= 0) return "0%";
        if (p < 1e-6) return "<0.0001%";
        double pct = p * 100;
        if (pct >= 10) return String.format(Locale.ROOT, "%.0f%%", pct);
        if (pct >= 1) return String.format(Locale.ROOT, "%.1f%%", pct);
        return new BigDecimal(pct)
                        .round(new MathContext(2))
                        .stripTrailingZeros()
                        .toPlainString() + "%";
    }
}
