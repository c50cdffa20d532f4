package io.unwind.domain.route;

import static io.unwind.domain.route.RouteFixtures.ONE_WETH;
import static io.unwind.domain.route.RouteFixtures.ROUTER_A;
import static io.unwind.domain.route.RouteFixtures.ROUTER_B;
import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.domain.money.Wei;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.constraints.Size;

@Tag("pure")
class RouteChooserPropertiesTest {

    @Provide
    Arbitrary<Candidate> candidates() {
        return Combinators.combine(
                        Arbitraries.of("uniswap", "1inch", "0x", "odos"),
                        Arbitraries.of(ROUTER_A, ROUTER_B),
                        Arbitraries.integers().between(1, 3).map(k -> ONE_WETH.multiply(BigInteger.valueOf(k))),
                        Arbitraries.longs().between(1, 10_000_000_000L),
                        Arbitraries.longs().between(0, 2_000_000))
                .as(RouteFixtures::viable);
    }

    @Property(tries = 500)
    void theBestHasTheHighestNetPerUnitAndTheOrderIgnoresTheInputOrder(
            @ForAll @Size(min = 1, max = 8) List<@net.jqwik.api.From("candidates") Candidate> cs, @ForAll long seed) {
        Wei gas = Wei.gwei(20);
        BigInteger eth = BigInteger.valueOf(3_000_000_000L);
        RouteChoice choice = RouteChooser.choose(cs, gas, eth);
        Ranked best = choice.best().orElseThrow();
        for (Ranked r : choice.ranking()) {
            // best.net / best.sold >= r.net / r.sold
            assertThat(best.netValue().multiply(r.collateralSold()))
                    .isGreaterThanOrEqualTo(r.netValue().multiply(best.collateralSold()));
        }
        List<Candidate> shuffled = new ArrayList<>(cs);
        Collections.shuffle(shuffled, new Random(seed));
        assertThat(RouteChooser.choose(shuffled, gas, eth).ranking()).isEqualTo(choice.ranking());
    }
}
