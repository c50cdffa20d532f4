package io.unwind.domain.position;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * LTV arithmetic exactly as the contracts do it (contracts/src/libraries/LtvMath.sol). Prices are Morpho oracle prices:
 * loan base units per collateral base unit, scaled by 1e36, so decimals are already in them. LTVs are WADs (1e18 =
 * 100%).
 */
public final class Ltv {
    public static final BigInteger WAD = BigInteger.TEN.pow(18);
    public static final BigInteger PRICE_SCALE = BigInteger.TEN.pow(36);
    public static final BigInteger BPS_TO_WAD = BigInteger.TEN.pow(14);
    public static final BigInteger BPS = BigInteger.valueOf(10_000);
    public static final BigInteger UINT256_MAX = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);

    private Ltv() {}

    /** Value of `collateral` in loan base units at `price`, rounded down. */
    public static BigInteger collateralValue(BigInteger collateral, BigInteger price) {
        return collateral.multiply(price).divide(PRICE_SCALE);
    }

    /** debt / value as a WAD rounded up; 0 for no debt; UINT256_MAX for debt against worthless collateral. */
    public static BigInteger ltv(BigInteger collateral, BigInteger debt, BigInteger price) {
        if (debt.signum() == 0) return BigInteger.ZERO;
        BigInteger value = collateralValue(collateral, price);
        if (value.signum() == 0) return UINT256_MAX;
        return divUp(debt.multiply(WAD), value);
    }

    /**
     * The least collateral that carries {@code debt} at {@code price} with an LTV ({@link #ltv}, the contract's
     * rounding) of at most {@code ltvWad}; 0 for no debt.
     */
    public static BigInteger collateralForLtv(BigInteger debt, BigInteger price, BigInteger ltvWad) {
        if (debt.signum() == 0) return BigInteger.ZERO;
        if (price.signum() <= 0 || ltvWad.signum() <= 0)
            throw new IllegalArgumentException("price and LTV must be > 0");
        BigInteger value = divUp(debt.multiply(WAD), ltvWad);
        return divUp(value.multiply(PRICE_SCALE), price);
    }

    /** The least the vault accepts for selling `collateral`: value rounded up, times (1 - slippage), rounded up. */
    public static BigInteger oracleFloor(BigInteger collateral, BigInteger price, int slippageBps) {
        BigInteger value = divUp(collateral.multiply(price), PRICE_SCALE);
        return divUp(value.multiply(BigInteger.valueOf(10_000L - slippageBps)), BPS);
    }

    public static BigInteger bpsToWad(int bps) {
        return io.unwind.domain.money.Bps.of(bps).toWad();
    }

    /** What {@link #percent} says for the LTV of a debt against collateral worth nothing at the oracle price. */
    public static final String NO_COLLATERAL_VALUE = "no collateral value";

    /**
     * A WAD as a percentage string with two decimals, for people; {@value #NO_COLLATERAL_VALUE} for worthless
     * collateral.
     */
    public static String percent(BigInteger wad) {
        if (wad.equals(UINT256_MAX)) return NO_COLLATERAL_VALUE;
        return percent(fraction(wad), RoundingMode.HALF_UP);
    }

    /** A WAD as an exact fraction of one (0.75 for 75%); the caller handles {@link #UINT256_MAX}. */
    public static BigDecimal fraction(BigInteger wad) {
        return new BigDecimal(wad).movePointLeft(18);
    }

    /** A WAD as a fraction of one for gauges and charts; infinity for debt against worthless collateral. */
    public static double fractionAsDouble(BigInteger wad) {
        if (wad.equals(UINT256_MAX)) return Double.POSITIVE_INFINITY;
        return new BigDecimal(wad)
                .divide(new BigDecimal(WAD), MathContext.DECIMAL64)
                .doubleValue();
    }

    /** A fraction of one as a percentage with two decimals ("12.35%"), rounded as asked. */
    public static String percent(BigDecimal fraction, RoundingMode rounding) {
        return fraction.movePointRight(2).setScale(2, rounding).toPlainString() + "%";
    }

    public static BigInteger divUp(BigInteger a, BigInteger b) {
        BigInteger[] qr = a.divideAndRemainder(b);
        return qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
    }
}
