package io.unwind.domain.risk;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.domain.chain.Address;
import io.unwind.domain.money.Token;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.constraints.IntRange;

/** Every position with debt is counted once; the cumulative curve and the multiplier behave whatever the decimals. */
@Tag("pure")
class LiquidationMapPropertiesTest {
    static final BigInteger LLTV = new BigInteger("915000000000000000");

    @Provide
    Arbitrary<List<BorrowerPosition>> positions() {
        Arbitrary<BigInteger> amount = Arbitraries.bigIntegers().between(BigInteger.ZERO, BigInteger.TEN.pow(27));
        Arbitrary<BorrowerPosition> p = Combinators.combine(
                        Arbitraries.integers().between(1, 1_000_000), amount, amount)
                .as((i, c, d) -> new BorrowerPosition(Address.of(String.format("0x%040x", i)), c, d));
        return p.list().ofMaxSize(40);
    }

    @Provide
    Arbitrary<BigInteger> prices() {
        return Arbitraries.bigIntegers().between(BigInteger.ONE, BigInteger.TEN.pow(50));
    }

    @Property(tries = 300)
    void everyPositionWithDebtIsCountedOnce(
            @ForAll("positions") List<BorrowerPosition> ps,
            @ForAll("prices") BigInteger price,
            @ForAll @IntRange(min = 0, max = 18) int dc,
            @ForAll @IntRange(min = 0, max = 18) int dl) {
        Token c = new Token(Address.of("0x00000000000000000000000000000000000000c0"), "C", dc);
        Token l = new Token(Address.of("0x00000000000000000000000000000000000000d0"), "L", dl);
        var map = LiquidationMap.of(c, l, ps, LLTV, price, 100, 5000);
        BigInteger total = BigInteger.ZERO;
        int count = 0;
        for (var p : ps) {
            if (p.debt().signum() > 0) {
                total = total.add(p.collateral());
                count++;
            }
        }
        BigInteger inBuckets =
                map.buckets().stream().map(LiquidationMap.Bucket::collateral).reduce(BigInteger.ZERO, BigInteger::add);
        int inBucketsCount = map.buckets().stream()
                .mapToInt(LiquidationMap.Bucket::positions)
                .sum();
        assertThat(inBuckets
                        .add(map.alreadyLiquidatable().collateral())
                        .add(map.beyondRange().collateral()))
                .isEqualTo(total);
        assertThat(inBucketsCount
                        + map.alreadyLiquidatable().positions()
                        + map.beyondRange().positions())
                .isEqualTo(count);
        // The cumulative at the bottom of step k is exactly what a fall of (k+1) steps liquidates.
        List<BigInteger> cumulative = map.cumulative();
        for (int k = 0; k < map.buckets().size(); k++) {
            assertThat(map.liquidatableWithin((k + 1) * 100)).isEqualTo(cumulative.get(k));
        }
        assertThat(map.liquidatableWithin(10_000)).isEqualTo(total);
    }

    @Property(tries = 300)
    void liquidatableWithinGrowsWithTheDropAndTheMultiplierStaysInItsBounds(
            @ForAll("positions") List<BorrowerPosition> ps,
            @ForAll("prices") BigInteger price,
            @ForAll @IntRange(min = 0, max = 10_000) int a,
            @ForAll @IntRange(min = 0, max = 10_000) int b,
            @ForAll("depths") List<BigInteger> depths) {
        Token c = new Token(Address.of("0x00000000000000000000000000000000000000c0"), "C", 8);
        Token l = new Token(Address.of("0x00000000000000000000000000000000000000d0"), "L", 6);
        var map = LiquidationMap.of(c, l, ps, LLTV, price, 50, 10_000);
        int lo = Math.min(a, b);
        int hi = Math.max(a, b);
        assertThat(map.liquidatableWithin(lo)).isLessThanOrEqualTo(map.liquidatableWithin(hi));
        var levels = new ArrayList<>(List.of(500, 1000, 2000));
        var cascade = map.against(
                Map.of(levels.get(0), depths.get(0), levels.get(1), depths.get(1), levels.get(2), depths.get(2)));
        double m = cascade.volatilityMultiplier();
        assertThat(m).isBetween(1.0, 1 + Cascade.MAX_EXTRA);
        double worst = Math.max(
                cascade.cascadeRatio(500).orElseThrow(),
                cascade.cascadeRatio(1000).orElseThrow());
        assertThat(m > 1).isEqualTo(worst > 1);
    }

    @Provide
    Arbitrary<List<BigInteger>> depths() {
        return Arbitraries.bigIntegers()
                .between(BigInteger.ZERO, BigInteger.TEN.pow(28))
                .list()
                .ofSize(3);
    }
}
