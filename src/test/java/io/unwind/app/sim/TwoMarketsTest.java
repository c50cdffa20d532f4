package io.unwind.app.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A crash on two collateral assets at once, played against one keeper watching both markets: each market follows its
 * own price path, and the keeper deleverages vaults on both.
 */
@Tag("chain")
class TwoMarketsTest {

    /** WETH 3400 -> 2950 and WBTC 60000 -> 52000 by block 3: every vault crosses its trigger on both markets. */
    static final Scenario TWO = ScenarioFixtures.parse("""
            name: two-markets
            blockTime: 12
            markets:
              - name: weth
                collateral: {symbol: WETH, decimals: 18}
                loan: {symbol: USDC, decimals: 6}
                lltv: 0.86
                price: 3400
                pools: [{dex: uniswap-v3, fee: 500, depth: 5000000}, {dex: uniswap-v2, depth: 2000000}]
                prices: [{block: 0, price: 3400}, {block: 3, price: 2950}, {block: 10, price: 2800}]
              - name: wbtc
                collateral: {symbol: WBTC, decimals: 8}
                loan: {symbol: USDC, decimals: 6}
                lltv: 0.86
                price: 60000
                pools: [{dex: uniswap-v3, fee: 3000, depth: 5000000}]
                prices: [{block: 0, price: 60000}, {block: 3, price: 52000}, {block: 8, price: 50000}]
            settleBlocks: 2
            vaults:
              - {name: eth, market: weth, count: 5, collateral: 2, ltv: 0.70, keeper: true,
                 policy: {trigger: 0.80, target: 0.70, maxSlippageBps: 300}}
              - {name: btc, market: wbtc, count: 5, collateral: 0.1, ltv: 0.70, keeper: true,
                 policy: {trigger: 0.80, target: 0.70, maxSlippageBps: 300}}
            """);

    @Test
    void oneKeeperDeleveragesVaultsOnBothMarkets() {
        SimulationReport r = new SimulationRunner(
                        TWO, SimulationRunner.Options.defaults(), new SimulationRunner.Listener() {})
                .run();

        assertThat(r.error()).isNull();
        assertThat(r.blocks()).isEqualTo(12);
        assertThat(r.collateral()).isEqualTo("WETH");
        assertThat(r.vaults()).hasSize(10);
        assertThat(r.vaults().stream().filter(v -> v.name().startsWith("eth-")))
                .hasSize(5)
                .allSatisfy(v -> assertThat(v.market()).isEqualTo("weth"));
        assertThat(r.vaults().stream().filter(v -> v.name().startsWith("btc-")))
                .hasSize(5)
                .allSatisfy(v -> assertThat(v.market()).isEqualTo("wbtc"));

        assertThat(r.markets())
                .extracting(SimulationReport.Market::name, SimulationReport.Market::collateral)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("weth", "WETH"),
                        org.assertj.core.groups.Tuple.tuple("wbtc", "WBTC"));
        for (SimulationReport.Market m : r.markets()) {
            Scenario.ScenarioMarket path = TWO.markets().stream()
                    .filter(x -> x.name().equals(m.name()))
                    .findFirst()
                    .orElseThrow();
            assertThat(m.prices()).hasSize(13);
            for (SimulationReport.PriceStep step : m.prices())
                assertThat(step.price())
                        .as(m.name() + " at " + step.block())
                        .isEqualByComparingTo(path.priceAt(step.block()));
        }
        // The top-level path stays the first market's.
        assertThat(r.prices()).isEqualTo(r.markets().get(0).prices());
        assertThat(r.markets().get(1).prices().get(3).price()).isEqualByComparingTo(new BigDecimal("52000"));

        for (String market : List.of("weth", "wbtc")) {
            assertThat(r.vaults().stream()
                            .filter(v -> market.equals(v.market()))
                            .flatMap(v -> v.actions().stream())
                            .filter(a -> !a.reverted() && a.kind().equals("sell")))
                    .as("the keeper's sales on " + market)
                    .isNotEmpty();
        }
        assertThat(r.keeper().protectedVaults()).isEqualTo(10);
        assertThat(r.keeper().protectedLiquidated()).isZero();
    }
}
