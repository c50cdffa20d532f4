package io.unwind.app.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.domain.position.VaultHealth;
import io.unwind.domain.route.Ranked;
import io.unwind.engine.RouteFinder;
import io.unwind.route.UniswapCalldata;
import io.unwind.route.aggregator.SwapCalldata;
import io.unwind.route.aggregator.Vendor;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The crash with emulated aggregators on 127.0.0.1 quoting the local pools: each aggregator as the only source
 * saves the vault; with all of them and the on-chain sources, the route that brings the most net of gas wins.
 */
@Tag("chain")
class AggregatorCrashTest {

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void eachAggregatorAloneSavesTheVault(Vendor v) {
        SimulationReport r = CrashScenarioTest.run(
                ScenarioFixtures.parse(crash("""
                aggregators: [%s]
                onChainRoutes: false
                """.formatted(v.id()), "- {dex: uniswap-v3, fee: 3000, depth: 2000000}")));
        var p = CrashScenarioTest.vault(r, "protected");
        assertThat(p.liquidated()).isFalse();
        assertThat(p.maxLtv()).isLessThan(new BigDecimal("0.86"));
        assertThat(p.actions()).isNotEmpty().allSatisfy(a -> {
            assertThat(a.kind()).isEqualTo("sell");
            assertThat(a.route()).isEqualTo(v.id());
            assertThat(a.ltvAfter()).isLessThan(a.ltvBefore()).isGreaterThanOrEqualTo(new BigDecimal("0.65"));
        });
        assertThat(CrashScenarioTest.vault(r, "bare").liquidated()).isTrue();
    }

    private static final String POOLS = """
            - {dex: uniswap-v3, fee: 500, depth: 1500000}
            - {dex: uniswap-v3, fee: 3000, depth: 1500000}
            - {dex: uniswap-v2, depth: 300000}""";

    /**
     * Two V3 pools (0.05% and 0.3%) and a shallow V2 pool, every source on: 1inch (in tenths) and Odos (in quarters)
     * split the sale across both V3 pools in one SwapRouter multicall, which costs more gas than one swap; at 1 gwei
     * that gas is worth far less than what the split adds, so the finest split wins. The single-pool routes (the
     * on-chain sources, 0x, ParaSwap, KyberSwap) rank below it; V2 and the 0.3% pool alone are under the floor.
     */
    @Test
    void atLowGasTheSplitAcrossPoolsWinsNetOfGas() {
        List<RouteFinder.Found> rounds = run("");
        Ranked best = firstRound(rounds).choice().best().orElseThrow();
        assertThat(best.candidate().source()).isEqualTo("1inch");
        assertThat(best.candidate().quote().calldata().selector().hex()).isEqualTo(SwapCalldata.V3_MULTICALL);
        Ranked single = bestSingle(firstRound(rounds));
        Ranked odos = of(firstRound(rounds), "odos");
        // Why: the split brings more per unit sold than any one pool, and than Odos' coarser split...
        assertThat(perUnit(best.candidate().simulation().proceeds(), best))
                .isGreaterThan(perUnit(single.candidate().simulation().proceeds(), single));
        assertThat(best.candidate().simulation().proceeds())
                .isGreaterThanOrEqualTo(odos.candidate().simulation().proceeds());
        // ...costs more gas (two swaps in one call)...
        assertThat(best.candidate().gasUnits()).isGreaterThan(single.candidate().gasUnits());
        assertThat(best.gasCost()).isGreaterThan(single.gasCost());
        // ...and is still ahead once that gas is paid.
        assertThat(perUnit(best.netValue(), best)).isGreaterThan(perUnit(single.netValue(), single));
        assertRankedByNetValue(firstRound(rounds));
        assertThat(firstRound(rounds).choice().rejected()).anySatisfy(x -> {
            assertThat(x.source()).isEqualTo("uniswap-v2");
            assertThat(x.reason().name()).isEqualTo("BELOW_FLOOR");
        });
        report("low gas", best, single);
    }

    /**
     * The same market at a 150 gwei base fee: the split's extra gas now costs more than it adds, so a single swap
     * through the 0.05% pool wins, though the split still brings more before gas.
     */
    @Test
    void atHighGasOneSwapThroughTheBestPoolWinsNetOfGas() {
        List<RouteFinder.Found> rounds = run("baseFees: [{block: 0, gwei: 150}]\n");
        RouteFinder.Found first = firstRound(rounds);
        Ranked best = first.choice().best().orElseThrow();
        Ranked split = of(first, "1inch");
        assertThat(best.candidate().quote().calldata().selector().hex())
                .isEqualTo(UniswapCalldata.V3_EXACT_INPUT_SINGLE);
        assertThat(SwapCalldata.decode(
                                best.candidate().quote().calldata().bytes(),
                                best.candidate().quote().recipient())
                        .orElseThrow()
                        .legs())
                .isEqualTo(1);
        assertThat(best.candidate().quote().calldata().hex())
                .contains("00000000000000000000000000000000000000000000000000000000000001f4"); // fee 500
        // Why: the split still brings more before gas, but its extra gas costs more than that.
        assertThat(perUnit(split.candidate().simulation().proceeds(), split))
                .isGreaterThan(perUnit(best.candidate().simulation().proceeds(), best));
        assertThat(split.gasCost().subtract(best.gasCost())).isPositive();
        assertThat(perUnit(best.netValue(), best)).isGreaterThan(perUnit(split.netValue(), split));
        assertRankedByNetValue(first);
        report("high gas", best, split);
    }

    private static List<RouteFinder.Found> run(String extra) {
        List<RouteFinder.Found> rounds = new CopyOnWriteArrayList<>();
        SimulationReport r = new SimulationRunner(
                        ScenarioFixtures.parse(
                                crash(extra + "aggregators: [1inch, 0x, paraswap, odos, kyberswap]\n", POOLS)),
                        SimulationRunner.Options.defaults(),
                        new SimulationRunner.Listener() {
                            @Override
                            public void routed(VaultHealth h, RouteFinder.Found found) {
                                if (found.best().isPresent()) rounds.add(found);
                            }
                        })
                .run();
        var p = CrashScenarioTest.vault(r, "protected");
        assertThat(p.liquidated()).isFalse();
        assertThat(p.actions()).isNotEmpty();
        assertThat(rounds).isNotEmpty();
        // The report names the source of every sale: the winner of its round.
        assertThat(p.actions().get(0).route())
                .isEqualTo(rounds.get(0).best().orElseThrow().source());
        return rounds;
    }

    private static RouteFinder.Found firstRound(List<RouteFinder.Found> rounds) {
        RouteFinder.Found first = rounds.get(0);
        assertThat(first.choice().ranking())
                .extracting(x -> x.candidate().source())
                .contains("1inch", "odos", "0x", "paraswap", "kyberswap", "uniswap-v3-500");
        return first;
    }

    private static Ranked of(RouteFinder.Found f, String source) {
        return f.choice().ranking().stream()
                .filter(x -> x.candidate().source().equals(source))
                .findFirst()
                .orElseThrow();
    }

    /** The best route that swaps through one pool. */
    private static Ranked bestSingle(RouteFinder.Found f) {
        return f.choice().ranking().stream()
                .filter(x -> SwapCalldata.decode(
                                        x.candidate().quote().calldata().bytes(),
                                        x.candidate().quote().recipient())
                                .orElseThrow()
                                .legs()
                        == 1)
                .findFirst()
                .orElseThrow();
    }

    private static void assertRankedByNetValue(RouteFinder.Found f) {
        for (int i = 1; i < f.choice().ranking().size(); i++) {
            Ranked a = f.choice().ranking().get(i - 1);
            Ranked b = f.choice().ranking().get(i);
            assertThat(perUnit(a.netValue(), a)).isGreaterThanOrEqualTo(perUnit(b.netValue(), b));
        }
    }

    private static void report(String what, Ranked best, Ranked other) {
        System.out.printf(
                "%s: winner %s proceeds %s gas %d (cost %s) net %s; vs %s proceeds %s gas %d (cost %s) net %s%n",
                what,
                best.candidate().source(),
                best.candidate().simulation().proceeds(),
                best.candidate().gasUnits(),
                best.gasCost(),
                best.netValue(),
                other.candidate().source(),
                other.candidate().simulation().proceeds(),
                other.candidate().gasUnits(),
                other.gasCost(),
                other.netValue());
    }

    private static BigDecimal perUnit(BigInteger value, Ranked r) {
        return new BigDecimal(value).divide(new BigDecimal(r.collateralSold()), 30, java.math.RoundingMode.DOWN);
    }

    /** The crash with one protected and one bare vault, the given pools and extra scenario lines. */
    static String crash(String extra, String pools) {
        return """
                name: aggregator-crash
                blockTime: 1
                market:
                  collateral: {symbol: WETH, decimals: 18}
                  loan: {symbol: USDC, decimals: 6}
                  lltv: 0.86
                  price: 3000
                  pools:
                %s
                prices:
                  - {block: 0, price: 3000}
                  - {block: 30, price: 2400}
                  - {block: 60, price: 2150}
                vaults:
                  - {name: protected, collateral: 10, ltv: 0.75, keeper: true,
                     policy: {trigger: 0.80, target: 0.70, maxSlippageBps: 100}}
                  - {name: bare, collateral: 10, ltv: 0.75, keeper: false}
                %s
                """.formatted(pools.indent(4), extra);
    }
}
