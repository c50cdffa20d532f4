package io.unwind.domain.money;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Objects;

/** An amount of the chain's native currency in wei. Never negative. */
public record Wei(BigInteger value) implements Comparable<Wei> {
    public static final Wei ZERO = new Wei(BigInteger.ZERO);
    private static final BigInteger GWEI = BigInteger.TEN.pow(9);

    public Wei {
        Objects.requireNonNull(value, "wei");
        if (value.signum() < 0) throw new IllegalArgumentException("negative wei: " + value);
    }

    public static Wei of(long wei) {
        return new Wei(BigInteger.valueOf(wei));
    }

    public static Wei of(BigInteger wei) {
        return new Wei(wei);
    }

    public static Wei gwei(long gwei) {
        return new Wei(BigInteger.valueOf(gwei).multiply(GWEI));
    }

    /** Parses "1.5" (gwei) exactly; more than 9 decimals is refused rather than rounded. */
    public static Wei parseGwei(String gwei) {
        BigDecimal d = new BigDecimal(gwei.trim()).movePointRight(9);
        try {
            return new Wei(d.toBigIntegerExact());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("gwei amount has more than 9 decimals: " + gwei, e);
        }
    }

    public Wei plus(Wei o) {
        return new Wei(value.add(o.value));
    }

    public Wei minusFloorZero(Wei o) {
        return value.compareTo(o.value) <= 0 ? ZERO : new Wei(value.subtract(o.value));
    }

    public Wei times(long n) {
        return new Wei(value.multiply(BigInteger.valueOf(n)));
    }

    public Wei times(BigInteger n) {
        return new Wei(value.multiply(n));
    }

    public Wei max(Wei o) {
        return compareTo(o) >= 0 ? this : o;
    }

    public Wei min(Wei o) {
        return compareTo(o) <= 0 ? this : o;
    }

    /** value * num / den, rounded up: for fee bumps, where rounding down could fall short of a +10% rule. */
    public Wei mulDivUp(long num, long den) {
        BigInteger[] qr = value.multiply(BigInteger.valueOf(num)).divideAndRemainder(BigInteger.valueOf(den));
        return new Wei(qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE));
    }

    public boolean isZero() {
        return value.signum() == 0;
    }

    @Override
    public int compareTo(Wei o) {
        return value.compareTo(o.value);
    }

    /** "12.5 gwei" style, exact. */
    public String toGweiString() {
        return new BigDecimal(value).movePointLeft(9).stripTrailingZeros().toPlainString() + " gwei";
    }

    @Override
    public String toString() {
        return value + " wei";
    }
}
