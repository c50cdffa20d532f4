package io.unwind.domain.position;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The LTV arithmetic on values worked out by hand. Prices are Morpho oracle prices: loan base units per collateral base
 * unit, times 1e36. WETH (18 decimals) at 3,000 USDC (6 decimals) is 3000e6 / 1e18 * 1e36 = 3e27; WBTC (8 decimals) at
 * 60,000 USDC is 60000e6 / 1e8 * 1e36 = 6e38. The differential test against the contracts' LtvMath is
 * {@code io.unwind.integration.LtvAgainstLtvMathTest}; this one says what the numbers should be.
 */
@Tag("pure")
class LtvTest {
    private static final BigInteger WETH_AT_3000 = new BigInteger("3000000000000000000000000000"); // 3e27
    private static final BigInteger WBTC_AT_60000 = BigInteger.valueOf(6).multiply(BigInteger.TEN.pow(38));
    private static final BigInteger ONE_TO_ONE = BigInteger.TEN.pow(36);

    @Test
    void collateralValueFoldsTheDecimalsInThroughThePrice() {
        // 10 WETH at 3,000 = 30,000 USDC = 3e10 base units.
        assertThat(Ltv.collateralValue(new BigInteger("10000000000000000000"), WETH_AT_3000))
                .isEqualTo(30_000_000_000L);
        // 2 WBTC at 60,000 = 120,000 USDC = 1.2e11 base units.
        assertThat(Ltv.collateralValue(BigInteger.valueOf(200_000_000L), WBTC_AT_60000))
                .isEqualTo(120_000_000_000L);
    }

    @Test
    void collateralValueRoundsDown() {
        // 1 wei of WETH is worth 3e27 / 1e36 = 3e-9 of a USDC base unit: nothing.
        assertThat(Ltv.collateralValue(BigInteger.ONE, WETH_AT_3000)).isZero();
        // 333,333,333 wei = 0.999999999 base units: still nothing; 333,333,334 wei = 1.000000002: one.
        assertThat(Ltv.collateralValue(BigInteger.valueOf(333_333_333L), WETH_AT_3000))
                .isZero();
        assertThat(Ltv.collateralValue(BigInteger.valueOf(333_333_334L), WETH_AT_3000))
                .isEqualTo(1);
        assertThat(Ltv.collateralValue(BigInteger.ZERO, WETH_AT_3000)).isZero();
        assertThat(Ltv.collateralValue(BigInteger.TEN, BigInteger.ZERO)).isZero();
    }

    @Test
    void ltvIsDebtOverValueAsAWad() {
        // 22,500 USDC against 10 WETH at 3,000: 75%.
        assertThat(Ltv.ltv(new BigInteger("10000000000000000000"), BigInteger.valueOf(22_500_000_000L), WETH_AT_3000))
                .isEqualTo(new BigInteger("750000000000000000"));
        // Debt equal to the value: 100%; twice the value: 200%.
        assertThat(Ltv.ltv(BigInteger.valueOf(5), BigInteger.valueOf(5), ONE_TO_ONE))
                .isEqualTo(Ltv.WAD);
        assertThat(Ltv.ltv(BigInteger.valueOf(5), BigInteger.TEN, ONE_TO_ONE)).isEqualTo(Ltv.WAD.shiftLeft(1));
    }

    @Test
    void ltvRoundsUpSoThatItIsNeverUnderstated() {
        // 1 / 3 = 0.3333...: the WAD is 333333333333333333.33, rounded up to ...334.
        assertThat(Ltv.ltv(BigInteger.valueOf(3), BigInteger.ONE, ONE_TO_ONE))
                .isEqualTo(new BigInteger("333333333333333334"));
        // 2 / 3 = 0.6666...: ...666.67 rounded up to ...667.
        assertThat(Ltv.ltv(BigInteger.valueOf(3), BigInteger.TWO, ONE_TO_ONE))
                .isEqualTo(new BigInteger("666666666666666667"));
        // An exact quotient is not bumped: 1 / 4 = 0.25.
        assertThat(Ltv.ltv(BigInteger.valueOf(4), BigInteger.ONE, ONE_TO_ONE))
                .isEqualTo(new BigInteger("250000000000000000"));
    }

    @Test
    void ltvOfNoDebtIsZeroAndOfDebtAgainstWorthlessCollateralIsTheMaximum() {
        assertThat(Ltv.ltv(BigInteger.ZERO, BigInteger.ZERO, WETH_AT_3000)).isZero();
        assertThat(Ltv.ltv(BigInteger.TEN, BigInteger.ZERO, BigInteger.ZERO)).isZero();
        // Collateral worth less than one base unit counts as worth nothing.
        assertThat(Ltv.ltv(BigInteger.ONE, BigInteger.ONE, WETH_AT_3000)).isEqualTo(Ltv.UINT256_MAX);
        assertThat(Ltv.ltv(BigInteger.ZERO, BigInteger.ONE, WETH_AT_3000)).isEqualTo(Ltv.UINT256_MAX);
    }

    @Test
    void oracleFloorIsTheValueLessTheSlippage() {
        // 1 WETH at 3,000 with 1% slippage: 2,970 USDC exactly.
        assertThat(Ltv.oracleFloor(BigInteger.TEN.pow(18), WETH_AT_3000, 100)).isEqualTo(2_970_000_000L);
        // No slippage: the value itself; the whole value as slippage: nothing.
        assertThat(Ltv.oracleFloor(BigInteger.TEN.pow(18), WETH_AT_3000, 0)).isEqualTo(3_000_000_000L);
        assertThat(Ltv.oracleFloor(BigInteger.TEN.pow(18), WETH_AT_3000, 10_000))
                .isZero();
    }

    @Test
    void oracleFloorRoundsUpInBothStepsLikeTheVault() {
        // 1 wei of WETH: value 3e-9 rounds up to 1 unit, 0.99 of it rounds up to 1: a sale must bring something.
        assertThat(Ltv.oracleFloor(BigInteger.ONE, WETH_AT_3000, 100)).isEqualTo(1);
        // 333 units at 1:1, 1% off: 329.67 -> 330.
        assertThat(Ltv.oracleFloor(BigInteger.valueOf(333), ONE_TO_ONE, 100)).isEqualTo(330);
        // 1,105 units at 0.01 each, 10% off. The value 11.05 rounds up to 12 first, and 12 * 0.9 = 10.8 up to 11,
        // one unit above the single rounding of 11.05 * 0.9 = 9.945 -> 10. The vault does the two steps; so must we.
        BigInteger cent = BigInteger.TEN.pow(34);
        assertThat(Ltv.oracleFloor(BigInteger.valueOf(1105), cent, 1000)).isEqualTo(11);
        assertThat(Ltv.oracleFloor(BigInteger.ZERO, WETH_AT_3000, 100)).isZero();
    }

    @Test
    void bpsToWadScalesByTenToTheFourteen() {
        assertThat(Ltv.bpsToWad(8000)).isEqualTo(new BigInteger("800000000000000000"));
        assertThat(Ltv.bpsToWad(1)).isEqualTo(BigInteger.TEN.pow(14));
        assertThat(Ltv.bpsToWad(10_000)).isEqualTo(Ltv.WAD);
        assertThat(Ltv.bpsToWad(0)).isZero();
    }

    @Test
    void divUpRoundsAnyRemainderUp() {
        assertThat(Ltv.divUp(BigInteger.valueOf(7), BigInteger.TWO)).isEqualTo(4);
        assertThat(Ltv.divUp(BigInteger.valueOf(6), BigInteger.TWO)).isEqualTo(3);
        assertThat(Ltv.divUp(BigInteger.ZERO, BigInteger.valueOf(5))).isZero();
        assertThat(Ltv.divUp(BigInteger.ONE, BigInteger.TEN.pow(36))).isEqualTo(1);
        assertThatThrownBy(() -> Ltv.divUp(BigInteger.ONE, BigInteger.ZERO)).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void percentIsForPeopleWithTwoDecimals() {
        assertThat(Ltv.percent(new BigInteger("750000000000000000"))).isEqualTo("75.00%");
        assertThat(Ltv.percent(new BigInteger("333333333333333334"))).isEqualTo("33.33%");
        assertThat(Ltv.percent(new BigInteger("666666666666666667"))).isEqualTo("66.67%");
        assertThat(Ltv.percent(new BigInteger("12345000000000000"))).isEqualTo("1.23%"); // 1.2345%, half up
        assertThat(Ltv.percent(new BigInteger("12350000000000000"))).isEqualTo("1.24%");
        assertThat(Ltv.percent(BigInteger.ZERO)).isEqualTo("0.00%");
        assertThat(Ltv.percent(Ltv.UINT256_MAX))
                .isEqualTo("no collateral value"); // the vault reports worthless collateral as the max
    }
}
