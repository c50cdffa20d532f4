package io.unwind.domain.money;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Objects;

/** An amount of one token in its base units. */
public record TokenAmount(Token token, BigInteger units) implements Comparable<TokenAmount> {
    public TokenAmount {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(units, "units");
        if (units.signum() < 0) throw new IllegalArgumentException("negative amount of " + token.symbol() + ": " + units);
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
