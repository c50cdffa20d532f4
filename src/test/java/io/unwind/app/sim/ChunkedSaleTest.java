package io.unwind.app.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A sale larger than the only pool takes within the policy's slippage. With chunking the keeper probes what the pool
 * takes within the oracle floor, sells that much, and follows with more chunks on the next blocks: the vault survives.
 * With chunking switched off the whole sale is refused every block (no route within the floor) and the vault is
 * liquidated, paying Morpho's liquidation incentive, more than the chunks cost it.
 */
@Tag("chain")
class ChunkedSaleTest {
    private static final String SHALLOW = "- {dex: uniswap-v3, fee: 3000, depth: 600000}";

    @Test
    void aSaleThePoolCannotTakeAtOnceGoesThroughInChunksAndSavesTheVault() {
        AggregatorScenarioWatch on = new AggregatorScenarioWatch();
        SimulationReport chunked = new SimulationRunner(
                        ScenarioFixtures.parse(AggregatorCrashTest.crash("", SHALLOW)),
                        SimulationRunner.Options.defaults(),
                        on)
                .run();
        var p = CrashScenarioTest.vault(chunked, "protected");
        assertThat(p.liquidated()).as("liquidated with chunking").isFalse();
        assertThat(p.maxLtv()).isLessThan(new BigDecimal("0.86"));
        assertThat(p.actions()).hasSizeGreaterThanOrEqualTo(2).allSatisfy(a -> {
            assertThat(a.kind()).isEqualTo("sell");
            assertThat(a.ltvAfter()).isLessThan(a.ltvBefore());
        });
        // The full sale was refused for the floor, then a probed chunk went out; the plan says how much the pool takes.
        assertThat(on.rounds)
                .anySatisfy(f -> assertThat(f.choice().rejected())
                        .filteredOn(x -> x.source().equals("uniswap-v3-3000"))
                        .isNotEmpty()
                        .allSatisfy(x -> assertThat(x.reason().name()).isEqualTo("BELOW_FLOOR")));
        assertThat(on.sales())
                .anySatisfy(s -> assertThat(s.tx().planSummary().orElse(""))
                        .contains("capped by route liquidity")
                        .contains("within the floor uniswap-v3-3000"));
        // The journaled plan reads in words: no record or Optional printed, amounts rounded for people.
        assertThat(on.sales())
                .allSatisfy(s -> assertThat(s.tx().planSummary().orElse(""))
                        .doesNotContain("Chunk[", "Full[", "Optional[")
                        .doesNotContainPattern("\\d\\.\\d{7,}"));

        // What the chunks cost: each repaid at least the oracle value of what it sold less the policy's 1% and the
        // keeper's fee (at most 0.5%), against the oracle price of the block it was mined in.
        for (SimulationReport.Action a : p.actions()) {
            BigDecimal value =
                    new BigDecimal(a.collateralSold()).movePointLeft(18).multiply(priceAt(chunked, a.block()));
            assertThat(new BigDecimal(a.debtRepaid()).movePointLeft(6))
                    .isGreaterThanOrEqualTo(value.multiply(new BigDecimal("0.985")));
        }

        AggregatorScenarioWatch off = new AggregatorScenarioWatch();
        SimulationReport whole = new SimulationRunner(
                        ScenarioFixtures.parse(AggregatorCrashTest.crash("chunking: false", SHALLOW)),
                        SimulationRunner.Options.defaults(),
                        off)
                .run();
        var q = CrashScenarioTest.vault(whole, "protected");
        // Without chunks the sale is refused every block: the only pool is under the floor at the size needed...
        assertThat(q.actions()).isEmpty();
        assertThat(off.sales()).isEmpty();
        assertThat(off.outcomes)
                .anySatisfy(o -> assertThat(o).contains("NO_ROUTE").contains("below the oracle floor"));
        assertThat(off.outcomes).noneSatisfy(o -> assertThat(o).contains("SUBMITTED"));
        // ...and the vault is liquidated, which costs it Morpho's liquidation incentive on the debt repaid:
        // 1 / (0.3 x LLTV + 0.7) - 1 (Morpho Blue's liquidationIncentiveFactor, uncapped at this LLTV).
        assertThat(q.liquidated()).as("liquidated without chunking").isTrue();
        BigDecimal incentive = BigDecimal.ONE
                .divide(
                        new BigDecimal("0.3").multiply(new BigDecimal("0.86")).add(new BigDecimal("0.7")),
                        10,
                        java.math.RoundingMode.DOWN)
                .subtract(BigDecimal.ONE);
        // What the chunks really cost, from the chain: the oracle value of the collateral they sold, at the block each
        // was mined in, less the debt they repaid, per unit repaid. Less than the incentive: per unit of debt, chunks
        // are
        // the cheaper way down. (Not the end equity: a liquidated vault has no debt left and so loses less as the price
        // keeps falling; in this crash it ends with more equity than the levered, protected one.)
        BigDecimal sold = BigDecimal.ZERO;
        BigDecimal repaid = BigDecimal.ZERO;
        for (SimulationReport.Action a : p.actions()) {
            sold = sold.add(new BigDecimal(a.collateralSold()).movePointLeft(18).multiply(priceAt(chunked, a.block())));
            repaid = repaid.add(new BigDecimal(a.debtRepaid()).movePointLeft(6));
        }
        BigDecimal chunkCost = sold.subtract(repaid).divide(repaid, 10, java.math.RoundingMode.UP);
        assertThat(chunkCost)
                .as("cost of the chunks per unit of debt repaid, against the liquidation incentive %s", incentive)
                .isPositive()
                .isLessThan(incentive);
        System.out.printf(
                "chunked: %d sales %s, max LTV %s, not liquidated; unchunked: %d sales, liquidated at block %s%n",
                p.actions().size(),
                p.actions().stream()
                        .map(a -> a.block() + ":" + a.collateralSold())
                        .toList(),
                p.maxLtv(),
                q.actions().size(),
                q.liquidatedAtBlock());
    }

    private static BigDecimal priceAt(SimulationReport r, long block) {
        return r.prices().stream()
                .filter(s -> s.block() == block)
                .findFirst()
                .orElseThrow()
                .price();
    }
}
