package io.unwind.app.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A run that fails once its market is set up still returns what it recorded, with the error named. */
@Tag("chain")
class StoppedRunTest {

    static final Scenario SMALL = ScenarioFixtures.parse("""
            name: stops
            blockTime: 1
            market:
              collateral: {symbol: WETH, decimals: 18}
              loan: {symbol: USDC, decimals: 6}
              lltv: 0.86
              price: 3000
              pools: [{dex: uniswap-v3, fee: 3000, depth: 2000000}]
            prices: [{block: 0, price: 3000}, {block: 10, price: 2700}]
            vaults:
              - {name: protected, collateral: 10, ltv: 0.75, keeper: true, policy: {trigger: 0.80, target: 0.70}}
            """);

    @Test
    void aListenerThatThrowsMidRunEndsItWithAReport() {
        SimulationReport r = new SimulationRunner(
                        SMALL, SimulationRunner.Options.defaults(), new SimulationRunner.Listener() {
                            @Override
                            public void block(long block, BigDecimal price, Map<String, BigDecimal> ltvs) {
                                if (block == 3) throw new IllegalStateException("the watcher gave up");
                            }
                        })
                .run();
        assertThat(r.error()).contains("stopped at block 3").contains("the watcher gave up");
        assertThat(r.blocks()).isEqualTo(2);
        assertThat(r.prices()).extracting(SimulationReport.PriceStep::block).containsExactly(0L, 1L, 2L);
        assertThat(r.vaults()).singleElement().satisfies(v -> {
            assertThat(v.name()).isEqualTo("protected");
            assertThat(v.equityStart()).isPositive();
            assertThat(v.equityEnd()).isNotNull();
        });
        assertThat(r.keeper().protectedVaults()).isEqualTo(1);
    }

    @Test
    void aKeeperThatNeverTicksInTimeEndsItWithAReport() {
        SimulationReport r = new SimulationRunner(
                        SMALL,
                        new SimulationRunner.Options(java.util.Optional.empty(), java.time.Duration.ofNanos(1)),
                        new SimulationRunner.Listener() {})
                .run();
        assertThat(r.error()).contains("the keeper did not tick");
        assertThat(r.blocks()).isLessThan(SMALL.lastBlock() + SMALL.settleBlocks());
    }
}
