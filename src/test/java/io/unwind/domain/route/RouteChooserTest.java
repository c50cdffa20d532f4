package io.unwind.domain.route;

import static io.unwind.domain.route.RouteFixtures.ONE_WETH;
import static io.unwind.domain.route.RouteFixtures.ROUTER_A;
import static io.unwind.domain.route.RouteFixtures.ROUTER_B;
import static io.unwind.domain.route.RouteFixtures.order;
import static io.unwind.domain.route.RouteFixtures.quote;
import static io.unwind.domain.route.RouteFixtures.viable;
import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.domain.money.Wei;
import io.unwind.domain.plan.SaleAssessment;
import io.unwind.domain.plan.SaleRejection;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("pure")
class RouteChooserTest {
    static final Wei GAS = Wei.gwei(10);
    static final BigInteger ETH_IN_USDC = BigInteger.valueOf(3_000_000_000L); // 3,000 USDC per ETH

    static RouteChoice choose(List<Candidate> cs) {
        return RouteChooser.choose(cs, GAS, ETH_IN_USDC);
    }

    @Test
    void theBestRouteDeliversMostNetOfGas() {
        // A: 3,000 USDC with 200k gas (6 USDC); B: 3,004 USDC with 500k gas (15 USDC). A nets 2,994, B 2,989.
        var a = viable("uniswap", ROUTER_A, ONE_WETH, 3_000_000_000L, 200_000);
        var b = viable("1inch", ROUTER_B, ONE_WETH, 3_004_000_000L, 500_000);
        RouteChoice choice = choose(List.of(b, a));
        Ranked best = choice.best().orElseThrow();
        assertThat(best.candidate().source()).isEqualTo("uniswap");
        assertThat(best.gasCost()).isEqualTo(BigInteger.valueOf(6_000_000));
        assertThat(best.netValue()).isEqualTo(BigInteger.valueOf(2_994_000_000L));
        assertThat(choice.ranking()).extracting(r -> r.candidate().source()).containsExactly("uniswap", "1inch");
    }

    @Test
    void withCheapGasTheHigherProceedsWin() {
        var a = viable("uniswap", ROUTER_A, ONE_WETH, 3_000_000_000L, 200_000);
        var b = viable("1inch", ROUTER_B, ONE_WETH, 3_004_000_000L, 500_000);
        RouteChoice choice = RouteChooser.choose(List.of(a, b), Wei.of(1000), ETH_IN_USDC);
        assertThat(choice.best().orElseThrow().candidate().source()).isEqualTo("1inch");
    }

    @Test
    void onAnOpStackChainTheL1DataFeeOfARoutesBytesIsPartOfItsCost() {
        // At 0.01 gwei of L2 gas, gas hardly matters: 1inch's 4 USDC more wins on an L1.
        Wei l2Gas = Wei.of(10_000_000L);
        var direct = (Candidate.Viable) viable("uniswap", ROUTER_A, ONE_WETH, 3_000_000_000L, 200_000);
        var aggregator = (Candidate.Viable) viable("1inch", ROUTER_B, ONE_WETH, 3_004_000_000L, 500_000);
        assertThat(RouteChooser.choose(List.of(direct, aggregator), l2Gas, ETH_IN_USDC)
                        .best()
                        .orElseThrow()
                        .candidate()
                        .source())
                .isEqualTo("1inch");
        // On an OP-stack chain the aggregator's long calldata costs 0.002 ETH (6 USDC) on L1, the direct call's 0.0004
        // ETH (1.2 USDC): the direct sale now delivers more.
        var directOnL2 = direct.withDataFee(Wei.of(400_000_000_000_000L));
        var aggregatorOnL2 = aggregator.withDataFee(Wei.of(2_000_000_000_000_000L));
        RouteChoice onL2 = RouteChooser.choose(List.of(directOnL2, aggregatorOnL2), l2Gas, ETH_IN_USDC);
        Ranked best = onL2.best().orElseThrow();
        assertThat(best.candidate().source()).isEqualTo("uniswap");
        // 200k x 0.01 gwei = 0.000002 ETH = 0.006 USDC of gas, plus 1.2 USDC of data fee.
        assertThat(best.gasCost()).isEqualTo(BigInteger.valueOf(6_000 + 1_200_000));
        assertThat(best.netValue()).isEqualTo(BigInteger.valueOf(3_000_000_000L - 1_206_000));
    }

    @Test
    void routesOfDifferentSizesAreComparedPerUnitSold() {
        // A sells 1 WETH for 3,000 USDC; B sells 1.1 WETH for 3,250 USDC (2,954.5 per WETH). A is the better price.
        BigInteger more = ONE_WETH.multiply(BigInteger.valueOf(11)).divide(BigInteger.TEN);
        var a = viable("a", ROUTER_A, ONE_WETH, 3_000_000_000L, 0);
        var b = viable("b", ROUTER_B, more, 3_250_000_000L, 0);
        assertThat(choose(List.of(b, a)).best().orElseThrow().candidate().source())
                .isEqualTo("a");
    }

    @Test
    void gasIsChargedAtTheLargerOfTheSimulationAndTheSourceEstimate() {
        Quote q = quote("a", ROUTER_A, ONE_WETH, 3_000_000_000L, 900_000);
        Candidate c = Candidate.simulated(
                q,
                order(ONE_WETH, 1, 3_000_000_000L),
                new Simulation.Succeeded(BigInteger.ONE, BigInteger.valueOf(3_000_000_000L), 400_000));
        assertThat(((Candidate.Viable) c).gasUnits()).isEqualTo(900_000);
    }

    @Test
    void tiesAreBrokenTheSameWayWhateverTheInputOrder() {
        List<Candidate> cs = new ArrayList<>();
        cs.add(viable("kyber", ROUTER_B, ONE_WETH, 3_000_000_000L, 200_000));
        cs.add(viable("kyber", ROUTER_A, ONE_WETH, 3_000_000_000L, 200_000));
        cs.add(viable("0x", ROUTER_A, ONE_WETH, 3_000_000_000L, 200_000));
        cs.add(viable("odos", ROUTER_A, ONE_WETH, 3_000_000_000L, 100_000)); // less gas: nets more
        List<String> first = ranked(choose(cs));
        Random random = new Random(42);
        for (int i = 0; i < 20; i++) {
            Collections.shuffle(cs, random);
            assertThat(ranked(choose(cs))).isEqualTo(first);
        }
        assertThat(first)
                .containsExactly("odos@" + ROUTER_A, "0x@" + ROUTER_A, "kyber@" + ROUTER_A, "kyber@" + ROUTER_B);
    }

    @Test
    void rejectedCandidatesAreReportedWithTheirReasons() {
        Quote q = quote("paraswap", ROUTER_A, ONE_WETH, 3_000_000_000L, 0);
        List<Candidate> cs = List.of(
                Candidate.simulated(
                        q,
                        order(ONE_WETH, 2_990_000_000L, 3_000_000_000L),
                        new Simulation.Reverted("InsufficientProceeds(2989000000, 2990000000)")),
                Candidate.simulated(
                        q,
                        order(ONE_WETH, 2_990_000_000L, 3_000_000_000L),
                        new Simulation.Succeeded(
                                BigInteger.valueOf(2_990_000_000L), BigInteger.valueOf(2_980_000_000L), 1)),
                Candidate.failed("0x", RejectReason.TIMEOUT, "no answer in 2 s"),
                Candidate.rejected(q, new SaleAssessment.Rejected(SaleRejection.BELOW_ORACLE_FLOOR, "expects less")));
        RouteChoice choice = choose(cs);
        assertThat(choice.best()).isEmpty();
        assertThat(choice.rejected())
                .extracting(Candidate.Rejected::reason)
                .containsExactlyInAnyOrder(
                        RejectReason.SIMULATION_REVERTED,
                        RejectReason.SIMULATION_MISMATCH,
                        RejectReason.TIMEOUT,
                        RejectReason.BELOW_FLOOR);
        assertThat(choice.rejected().get(0).source()).isEqualTo("0x");
    }

    static List<String> ranked(RouteChoice c) {
        return c.ranking().stream()
                .map(r -> r.candidate().source() + "@" + r.candidate().quote().router())
                .toList();
    }
}
