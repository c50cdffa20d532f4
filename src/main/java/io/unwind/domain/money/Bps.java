package io.unwind.domain.money;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * A ratio in basis points (10_000 = 100%), as the vault's policy stores it. Converts to the WAD scale LTVs are kept in
 * (1 bp = 1e14) and prints as a percentage ("80%", "0.5%").
 */
public record Bps(int value) implements Comparable<Bps> {
    /** 100%. */
    public static final int ONE = 10_000;
    /** One basis point as a WAD. */
    public static final BigInteger WAD_PER_BPS = BigInteger.TEN.pow(14);

    public static Bps of(int value) {
        return new Bps(value);
    }

    /** The ratio as a WAD (1e18 = 100%). */
    public BigInteger toWad() {
        return BigInteger.valueOf(value).multiply(WAD_PER_BPS);
    }

    /** A WAD as whole basis points, rounded down; it must fit an int. */
    public static Bps fromWad(BigInteger wad) {
        return new Bps(wad.divide(WAD_PER_BPS).intValueExact());
    }

    /** As a percentage for people, without trailing zeros: 8000 -> "80%", 50 -> "0.5%". */
    public String percent() {
        return BigDecimal.valueOf(value).movePointLeft(2).stripTrailingZeros().toPlainString() + "%";
    }

    /** As a fraction of one: 8000 -> 0.8. */
    public double fraction() {
        return value / (double) ONE;
    }

    @Override
    public int compareTo(Bps o) {
        return Integer.compare(value, o.value);
    }

    @Override
    public String toString() {
        return percent();
    }
}
