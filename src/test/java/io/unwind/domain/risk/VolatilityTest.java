package io.unwind.domain.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The realized volatility estimates: unbiased on a known random walk, fast to rise, gaps counted as blocks. */
@Tag("pure")
class VolatilityTest {
    private static final PriceVolatility.HalfLives H = PriceVolatility.HalfLives.DEFAULT;
    private static final BigInteger SCALE = BigInteger.TEN.pow(36);

    private static BigInteger price(double p) {
        return new BigDecimal(p).multiply(new BigDecimal(SCALE)).toBigInteger();
    }

    @Test
    void recoversTheVolatilityOfAKnownRandomWalk() {
        double sigma = 0.002; // per block
        SplittableRandom rnd = new SplittableRandom(7);
        PriceVolatility v = PriceVolatility.EMPTY;
        double logP = Math.log(3000);
        for (long b = 1; b <= 3000; b++) {
            logP += sigma * rnd.nextGaussian();
            v = v.observe(b, price(Math.exp(logP)), H);
        }
        assertThat(v.slow().sigmaPerBlock()).isCloseTo(sigma, within(sigma * 0.15));
        assertThat(v.fast().sigmaPerBlock()).isCloseTo(sigma, within(sigma * 0.5));
        assertThat(v.samples()).isEqualTo(2999);
    }

    @Test
    void aSuddenlyWildMarketRaisesTheFastEstimateWithinMinutesAndTheStressedOneFollows() {
        PriceVolatility v = PriceVolatility.EMPTY;
        long b = 0;
        double p = 3000;
        SplittableRandom rnd = new SplittableRandom(1);
        for (; b < 600; b++) v = v.observe(b, price(p *= Math.exp(0.0002 * rnd.nextGaussian())), H);
        double calm = v.sigmaPerBlock();
        for (; b < 625; b++) v = v.observe(b, price(p *= Math.exp(0.004 * rnd.nextGaussian())), H);
        assertThat(v.fast().sigmaPerBlock()).isGreaterThan(calm * 5);
        assertThat(v.sigmaPerBlock())
                .isEqualTo(Math.max(v.fast().sigmaPerBlock(), v.slow().sigmaPerBlock()));
    }

    @Test
    void aGapOfSeveralBlocksIsOneReturnSpreadOverThem() {
        PriceVolatility one = PriceVolatility.EMPTY.observe(10, price(100), H).observe(14, price(102), H);
        double r = Math.log(1.02);
        assertThat(one.fast().variancePerBlock()).isCloseTo(r * r / 4, within(1e-12));
        assertThat(one.samples()).isEqualTo(1);
    }

    @Test
    void anOldBlockOrAZeroPriceChangesNothing() {
        PriceVolatility v = PriceVolatility.EMPTY.observe(10, price(100), H).observe(11, price(101), H);
        assertThat(v.observe(11, price(200), H)).isEqualTo(v);
        assertThat(v.observe(9, price(200), H)).isEqualTo(v);
        assertThat(v.observe(12, BigInteger.ZERO, H)).isEqualTo(v);
    }

    @Test
    void theMarketReadingIsTheLargestSourceOrTheFloorTimesTheQueue() {
        MarketVolatility m = MarketVolatility.EMPTY;
        for (long b = 1; b <= 50; b++) {
            m = m.observeOracle(b, price(100), H); // an oracle that does not move
            m = m.observePool(b, price(100 * (1 + 0.01 * (b % 2))), H); // a pool that does
        }
        double floor = 0.0001;
        MarketVolatility.Reading r = m.reading(floor, 1, "", 2_628_000);
        assertThat(r.sigmaPerBlock()).isEqualTo(m.pool().sigmaPerBlock()).isGreaterThan(floor);
        MarketVolatility.Reading q = m.reading(floor, 2, "queue", 2_628_000);
        assertThat(q.sigmaPerBlock()).isCloseTo(2 * r.sigmaPerBlock(), within(1e-15));
        assertThat(q.describe()).contains("x2.00 queue");
        assertThat(MarketVolatility.EMPTY.reading(floor, 1, "", 2_628_000).sigmaPerBlock())
                .isEqualTo(floor);
    }

    @Test
    void aPredictionReadsTheLiquidationPriceFromLtvOverLltv() {
        BigInteger wad = BigInteger.TEN.pow(18);
        BigInteger lltv = wad.multiply(BigInteger.valueOf(86)).divide(BigInteger.valueOf(100));
        BigInteger ltv = wad.multiply(BigInteger.valueOf(85)).divide(BigInteger.valueOf(100));
        MarketVolatility.Reading v = new MarketVolatility.Reading(0.8 / Math.sqrt(2_628_000), 0.8, "");
        Prediction p = Prediction.of(ltv, lltv, v, new ExitTime(0, 1, 1, 299));
        assertThat(p.exit().blocks()).isEqualTo(300);
        assertThat(p.probability()).isCloseTo(0.17, within(0.005));
        assertThat(Prediction.of(lltv, lltv, v, p.exit()).probability()).isEqualTo(1);
        assertThat(Prediction.percent(0.0123)).isEqualTo("1.2%");
        assertThat(Prediction.percent(0.000123)).isEqualTo("0.012%");
    }
}
