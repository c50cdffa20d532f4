package io.unwind.domain.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Tag;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * The first-passage probability against a Monte Carlo of the same model (a driftless geometric Brownian motion), and
 * the domain's Φ against Apache Commons Math. The Monte Carlo walks each path block by block and, between two block
 * ends both above the barrier, counts the chance that the continuous path dipped under it (the Brownian bridge: exp(-2
 * (x0 - b)(x1 - b) / (σ² Δ))), so that it estimates the continuously monitored probability the formula gives; without
 * the bridge it sees only block ends and must find less.
 */
@Tag("pure")
class FirstPassagePropertiesTest {
    private static final double BLOCKS_PER_YEAR = 2_628_000;
    private static final NormalDistribution STANDARD = new NormalDistribution(0, 1);

    @Property(tries = 2000)
    void phiMatchesCommonsMath(@ForAll @DoubleRange(min = -9, max = 9) double x) {
        assertThat(Normal.cdf(x)).isCloseTo(STANDARD.cumulativeProbability(x), within(1e-13));
    }

    @Property(tries = 24)
    void formulaMatchesAMonteCarloOfTheSameModel(
            @ForAll @DoubleRange(min = 0.80, max = 0.995) @net.jqwik.api.constraints.Scale(4) double ltvOverLltv,
            @ForAll @DoubleRange(min = 0.3, max = 3.0) double sigmaAnnual,
            @ForAll @IntRange(min = 1, max = 240) int horizon,
            @ForAll @LongRange(min = 1, max = Long.MAX_VALUE) long seed) {
        double b = Math.log(ltvOverLltv);
        double sigma = sigmaAnnual / Math.sqrt(BLOCKS_PER_YEAR);
        double p = FirstPassage.probability(b, sigma, horizon);
        int paths = 20_000;
        Crossings mc = monteCarlo(b, sigma, horizon, paths, new SplittableRandom(seed));
        double se = Math.sqrt(Math.max(p * (1 - p), 1e-6) / paths);
        // Continuously monitored: the same probability within the Monte Carlo's own error.
        assertThat(mc.continuous()).isCloseTo(p, within(4.5 * se + 1e-3));
        // Monitored at block ends only: never more than the continuous probability.
        assertThat(mc.atBlockEnds()).isLessThanOrEqualTo(mc.continuous());
    }

    @Property(tries = 300)
    void moreVolatilityOrALongerHorizonOrLessRoomNeverLowersTheProbability(
            @ForAll @DoubleRange(min = 0.5, max = 0.999) @net.jqwik.api.constraints.Scale(4) double ltvOverLltv,
            @ForAll @DoubleRange(min = 0.01, max = 5) double sigmaAnnual,
            @ForAll @IntRange(min = 1, max = 10_000) int horizon) {
        double b = Math.log(ltvOverLltv);
        double s = sigmaAnnual / Math.sqrt(BLOCKS_PER_YEAR);
        double p = FirstPassage.probability(b, s, horizon);
        assertThat(p).isBetween(0.0, 1.0);
        assertThat(FirstPassage.probability(b, s * 1.1, horizon)).isGreaterThanOrEqualTo(p - 1e-12);
        assertThat(FirstPassage.probability(b, s, horizon + 10)).isGreaterThanOrEqualTo(p - 1e-12);
        assertThat(FirstPassage.probability(b / 2, s, horizon)).isGreaterThanOrEqualTo(p - 1e-12);
    }

    @Property(tries = 300)
    void theTwoTermFormIsCloseToTwicePhiWhenTheHorizonIsShort(
            @ForAll @DoubleRange(min = 0.85, max = 0.99) double ltvOverLltv,
            @ForAll @DoubleRange(min = 0.2, max = 2) double sigmaAnnual,
            @ForAll @IntRange(min = 1, max = 300) int horizon) {
        double b = Math.log(ltvOverLltv);
        double s = sigmaAnnual / Math.sqrt(BLOCKS_PER_YEAR);
        double exact = FirstPassage.probability(b, s, horizon);
        double approx = FirstPassage.approximate(b, s, horizon);
        // The drift term σ²H/2 is tiny next to |b| at these horizons: they agree to a few percent of the value.
        assertThat(exact).isCloseTo(approx, within(0.05 * approx + 1e-9));
    }

    @Example
    void reproducesTheWorkedFiguresOfTheRiskModel() {
        // LLTV 86%, LTV 85%, one hour (300 blocks): 6.9% at σ 60%, 17% at 80%, 36% at 120%; LTV 83%, σ 120%: 0.6%.
        double b = Math.log(0.85 / 0.86);
        assertThat(FirstPassage.probability(b, 0.6 / Math.sqrt(BLOCKS_PER_YEAR), 300))
                .isCloseTo(0.069, within(0.002));
        assertThat(FirstPassage.probability(b, 0.8 / Math.sqrt(BLOCKS_PER_YEAR), 300))
                .isCloseTo(0.17, within(0.005));
        assertThat(FirstPassage.probability(b, 1.2 / Math.sqrt(BLOCKS_PER_YEAR), 300))
                .isCloseTo(0.36, within(0.01));
        assertThat(FirstPassage.probability(Math.log(0.83 / 0.86), 1.2 / Math.sqrt(BLOCKS_PER_YEAR), 300))
                .isCloseTo(0.006, within(0.001));
    }

    @Example
    void edges() {
        assertThat(FirstPassage.probability(0, 0.001, 10)).isEqualTo(1);
        assertThat(FirstPassage.probability(0.1, 0.001, 10)).isEqualTo(1);
        assertThat(FirstPassage.probability(-0.1, 0, 10)).isZero();
        assertThat(FirstPassage.probability(-0.1, 0.001, 0)).isZero();
    }

    private record Crossings(double continuous, double atBlockEnds) {}

    /** Paths of ln(P_t / P_0) = sum of (-σ²/2 + σ Z) per block; the barrier at b. */
    private static Crossings monteCarlo(double b, double sigma, int horizon, int paths, SplittableRandom rnd) {
        double drift = -sigma * sigma / 2;
        double var = sigma * sigma;
        double continuous = 0;
        int atEnds = 0;
        for (int i = 0; i < paths; i++) {
            double x = 0;
            double survive = 1; // probability the continuous path has not crossed, given the block ends so far
            boolean crossed = false;
            for (int t = 0; t < horizon; t++) {
                double next = x + drift + sigma * rnd.nextGaussian();
                if (next <= b) {
                    crossed = true;
                    break;
                }
                survive *= 1 - Math.exp(-2 * (x - b) * (next - b) / var);
                x = next;
            }
            if (crossed) {
                atEnds++;
                continuous += 1;
            } else {
                continuous += 1 - survive;
            }
        }
        return new Crossings(continuous / paths, (double) atEnds / paths);
    }
}
