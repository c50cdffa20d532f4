package io.unwind.domain.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.unwind.domain.chain.Address;
import io.unwind.domain.money.Token;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("pure")
class LiquidationMapTest {
    static final Token WETH = new Token(Address.of("0x00000000000000000000000000000000000000e1"), "WETH", 18);
    static final Token WBTC = new Token(Address.of("0x00000000000000000000000000000000000000b1"), "WBTC", 8);
    static final Token USDC = new Token(Address.of("0x00000000000000000000000000000000000000c1"), "USDC", 6);
    static final Token DAI = new Token(Address.of("0x00000000000000000000000000000000000000d1"), "DAI", 18);
    static final BigInteger LLTV_86 = new BigInteger("860000000000000000");

    /** Morpho's oracle price for {@code human} loan tokens per collateral token: human × 10^(36 + dl − dc). */
    static BigInteger oraclePrice(String human, Token collateral, Token loan) {
        return new BigDecimal(human)
                .movePointRight(36 + loan.decimals() - collateral.decimals())
                .toBigIntegerExact();
    }

    static BigInteger units(String human, Token t) {
        return new BigDecimal(human).movePointRight(t.decimals()).toBigIntegerExact();
    }

    static int n;

    /** A position whose liquidation price is exactly {@code liqPrice}: debt = collateral × liqPrice × LLTV. */
    static BorrowerPosition at(String collateral, String liqPrice, Token c, Token l) {
        BigDecimal debt = new BigDecimal(collateral)
                .multiply(new BigDecimal(liqPrice))
                .multiply(new BigDecimal("0.86"))
                .movePointRight(l.decimals());
        return position(units(collateral, c), debt.toBigIntegerExact());
    }

    static BorrowerPosition position(BigInteger collateral, BigInteger debt) {
        return new BorrowerPosition(Address.of(String.format("0x%040x", ++n)), collateral, debt);
    }

    @Test
    void eachPositionLandsInTheStepOfItsLiquidationPrice() {
        BigInteger price = oraclePrice("2000", WETH, USDC);
        var boundary = at("10", "1900", WETH, USDC); // exactly 5% down: in the step (4%, 5%]
        var near = at("3", "1950", WETH, USDC); // 2.5% down: step (2%, 3%]
        var far = at("7.5", "1760", WETH, USDC); // 12% down: step (11%, 12%]
        var beyond = at("100", "800", WETH, USDC); // 60% down: past the 50% range
        var now = at("2", "2100", WETH, USDC); // over the LLTV already
        var noCollateral = position(BigInteger.ZERO, units("5", USDC));
        var noDebt = position(units("50", WETH), BigInteger.ZERO);

        var map = LiquidationMap.of(
                WETH, USDC, List.of(boundary, near, far, beyond, now, noCollateral, noDebt), LLTV_86, price, 100, 5000);

        assertThat(map.buckets()).hasSize(50);
        assertThat(LiquidationMap.liquidationPrice(boundary, LLTV_86)).contains(oraclePrice("1900", WETH, USDC));
        assertThat(map.buckets().get(4).collateral()).isEqualTo(units("10", WETH));
        assertThat(map.buckets().get(4).debt()).isEqualTo(boundary.debt());
        assertThat(map.buckets().get(4).positions()).isEqualTo(1);
        assertThat(map.buckets().get(2).collateral()).isEqualTo(units("3", WETH));
        assertThat(map.buckets().get(11).collateral()).isEqualTo(units("7.5", WETH));
        long nonEmpty = map.buckets().stream().filter(b -> b.positions() > 0).count();
        assertThat(nonEmpty).isEqualTo(3);
        assertThat(map.alreadyLiquidatable())
                .isEqualTo(
                        new LiquidationMap.Totals(units("2", WETH), now.debt().add(noCollateral.debt()), 2));
        assertThat(map.beyondRange().collateral()).isEqualTo(units("100", WETH));
        assertThat(map.positions()).hasSize(6); // the one without debt is left out

        var b4 = map.buckets().get(4);
        assertThat(b4.upperPrice()).isEqualTo(oraclePrice("1920", WETH, USDC));
        assertThat(b4.lowerPrice()).isEqualTo(oraclePrice("1900", WETH, USDC));
        assertThat(b4.upperFraction()).isCloseTo(0.96, within(1e-12));
        assertThat(b4.lowerFraction()).isCloseTo(0.95, within(1e-12));

        // Within 5%: the boundary position counts (liquidatable at exactly −5%), with the near and the already-due
        // ones.
        assertThat(map.liquidatableWithin(500)).isEqualTo(units("15", WETH));
        assertThat(map.liquidatableWithin(499)).isEqualTo(units("5", WETH));
        assertThat(map.liquidatableWithin(0)).isEqualTo(units("2", WETH));
        assertThat(map.liquidatableWithin(1200)).isEqualTo(units("22.5", WETH));
        assertThat(map.liquidatableWithin(6000)).isEqualTo(units("122.5", WETH));
        assertThat(map.cumulative().get(4)).isEqualTo(units("15", WETH));
        assertThat(map.cumulative().get(49)).isEqualTo(units("22.5", WETH));
    }

    @Test
    void theLiquidationPriceIsRoundedUpSoNoPositionLooksHealthierThanMorphoJudgesIt() {
        // 1 WBTC (8 decimals) against 1 base unit of USDC debt at LLTV 86%: 1e54 / (1e8 × 0.86e18) is not whole.
        var p = position(units("1", WBTC), BigInteger.ONE);
        BigInteger exact = BigInteger.TEN.pow(54); // debt 1 × 1e54
        BigInteger den = units("1", WBTC).multiply(LLTV_86);
        BigInteger pStar = LiquidationMap.liquidationPrice(p, LLTV_86).orElseThrow();
        assertThat(pStar.multiply(den)).isGreaterThanOrEqualTo(exact);
        assertThat(pStar.subtract(BigInteger.ONE).multiply(den)).isLessThan(exact);
        // At a price one below P*, Morpho's own check (floors included) finds the position unhealthy.
        BigInteger below = pStar.subtract(BigInteger.ONE);
        assertThat(morphoHealthy(p, below, LLTV_86)).isFalse();
    }

    /** Morpho's _isHealthy: collateral.mulDivDown(price, 1e36).wMulDown(lltv) >= borrowed. */
    static boolean morphoHealthy(BorrowerPosition p, BigInteger price, BigInteger lltv) {
        BigInteger maxBorrow = p.collateral()
                .multiply(price)
                .divide(BigInteger.TEN.pow(36))
                .multiply(lltv)
                .divide(BigInteger.TEN.pow(18));
        return maxBorrow.compareTo(p.debt()) >= 0;
    }

    @Test
    void decimalsAreData() {
        // WBTC (8) against USDC (6), and DAI (18) against WETH (18): the same steps whatever the decimals.
        var btc = LiquidationMap.of(
                WBTC,
                USDC,
                List.of(at("0.5", "58800", WBTC, USDC), at("1.25", "54000", WBTC, USDC)),
                LLTV_86,
                oraclePrice("60000", WBTC, USDC),
                100,
                2000);
        assertThat(btc.buckets().get(1).collateral()).isEqualTo(units("0.5", WBTC)); // −2%
        assertThat(btc.buckets().get(9).collateral()).isEqualTo(units("1.25", WBTC)); // −10%
        assertThat(btc.liquidatableWithin(1000)).isEqualTo(units("1.75", WBTC));

        var eth = LiquidationMap.of(
                WETH, DAI, List.of(at("4", "1990", WETH, DAI)), LLTV_86, oraclePrice("2000", WETH, DAI), 50, 1000);
        assertThat(eth.buckets()).hasSize(20);
        assertThat(eth.buckets().get(0).collateral()).isEqualTo(units("4", WETH)); // −0.5%: the first half-percent step
    }

    @Test
    void aBadStepOrRangeIsRefused() {
        BigInteger price = oraclePrice("2000", WETH, USDC);
        assertThatThrownBy(() -> LiquidationMap.of(WETH, USDC, List.of(), LLTV_86, price, 300, 5000))
                .hasMessageContaining("multiple of the step");
        assertThatThrownBy(() -> LiquidationMap.of(WETH, USDC, List.of(), LLTV_86, BigInteger.ZERO, 100, 5000))
                .hasMessageContaining("price");
    }

    @Test
    void theMultiplierIsOneWhileTheVenuesAbsorbTheForcedSelling() {
        var map = LiquidationMap.of(
                WETH,
                USDC,
                List.of(at("100", "1950", WETH, USDC)),
                LLTV_86,
                oraclePrice("2000", WETH, USDC),
                100,
                5000);
        var cascade = map.against(Map.of(500, units("100", WETH), 1000, units("400", WETH)));
        assertThat(cascade.cascadeRatio(500)).contains(1.0);
        assertThat(cascade.cascadeRatio(1000)).contains(0.25);
        assertThat(cascade.cascadeRatio(2000)).isEmpty(); // not measured
        assertThat(cascade.volatilityMultiplier()).isEqualTo(1.0);
        assertThat(cascade.explanation())
                .isEqualTo("100 WETH liquidatable within 5% vs 100 WETH of depth: volatility ×1");
    }

    @Test
    void forcedSellingPastTheDepthRaisesVolatilityByTheExcessUpToThree() {
        var map = LiquidationMap.of(
                WETH,
                USDC,
                List.of(at("312", "1960", WETH, USDC), at("50", "1850", WETH, USDC)),
                LLTV_86,
                oraclePrice("2000", WETH, USDC),
                100,
                5000);
        var cascade = map.against(Map.of(500, units("120", WETH), 1000, units("300", WETH)));
        assertThat(cascade.cascadeRatio(500).orElseThrow()).isCloseTo(2.6, within(1e-12));
        assertThat(cascade.cascadeRatio(1000).orElseThrow()).isCloseTo(362.0 / 300, within(1e-12));
        assertThat(cascade.worstDrop()).contains(500);
        assertThat(cascade.volatilityMultiplier()).isCloseTo(2.6, within(1e-12));
        assertThat(cascade.explanation())
                .isEqualTo("312 WETH liquidatable within 5% vs 120 WETH of depth: volatility ×2.6");

        var thin = map.against(Map.of(500, units("10", WETH), 1000, BigInteger.ZERO));
        assertThat(thin.cascadeRatio(1000)).contains(Double.POSITIVE_INFINITY);
        assertThat(thin.volatilityMultiplier()).isEqualTo(3.0);

        assertThat(map.against(Map.of()).volatilityMultiplier()).isEqualTo(1.0);
        // Only a 20% level measured: it is the one judged.
        assertThat(map.against(Map.of(2000, units("181", WETH))).volatilityMultiplier())
                .isCloseTo(2.0, within(1e-12));
    }
}
