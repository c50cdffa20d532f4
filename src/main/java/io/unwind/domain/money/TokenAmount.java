package io.unwind.domain.money;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Objects;

/** An amount of one token in its base units. */
public record TokenAmount(Token token, BigInteger units) implements Comparable<TokenAmount> {
    /** Significant digits an amount is shown with in logs and on the status page (whole units are never cut). */
    public static final int DISPLAY_DIGITS = 6;

    public TokenAmount {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(units, "units");
        if (units.signum() < 0)
            throw new IllegalArgumentException("negative amount of " + token.symbol() + ": " + units);
    }

    public static TokenAmount zero(Token token) {
        return new TokenAmount(token, BigInteger.ZERO);
    }

    public TokenAmount plus(TokenAmount o) {
        sameToken(o);
        return new TokenAmount(token, units.add(o.units));
    }

    public TokenAmount minus(TokenAmount o) {
        sameToken(o);
        return new TokenAmount(token, units.subtract(o.units));
    }

    public boolean isZero() {
        return units.signum() == 0;
    }

    /** The human-readable value, exact ("1.5"), for display only. */
    public BigDecimal toDecimal() {
        return new BigDecimal(units).movePointLeft(token.decimals());
    }

    /**
     * For people: {@value #DISPLAY_DIGITS} significant digits, rounded half up, but never fewer than the whole units
     * and never more decimals than the token has; no trailing zeros ("3.47589 WETH", "9642.04 USDC", "1250000 USDC").
     * Not exact: journals and JSON carry base units.
     */
    public String display() {
        return displayDecimal(units, token.decimals()).toPlainString() + " " + token.symbol();
    }

    /** {@code units} of a token with {@code decimals} decimals, rounded as {@link #display()} does. */
    public static BigDecimal displayDecimal(BigInteger units, int decimals) {
        BigDecimal d = new BigDecimal(units).movePointLeft(decimals);
        int wholeDigits = d.precision() - d.scale();
        BigDecimal shown = wholeDigits >= DISPLAY_DIGITS
                ? d.setScale(0, RoundingMode.HALF_UP)
                : d.round(new MathContext(DISPLAY_DIGITS, RoundingMode.HALF_UP));
        shown = shown.stripTrailingZeros();
        return shown.scale() < 0 ? shown.setScale(0) : shown;
    }

    @Override
    public int compareTo(TokenAmount o) {
        sameToken(o);
        return units.compareTo(o.units);
    }

    private void sameToken(TokenAmount o) {
        if (!token.address().equals(o.token.address())) {
            throw new IllegalArgumentException("cannot combine " + token.symbol() + " with " + o.token.symbol());
        }
    }

    @Override
    public String toString() {
        return toDecimal().stripTrailingZeros().toPlainString() + " " + token.symbol();
    }
}
