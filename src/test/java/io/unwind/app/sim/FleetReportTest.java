package io.unwind.app.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A fleet crossing its trigger at once: whatever the keeper manages, the run plays to its end and the report's keeper
 * totals agree with its actions. These are checks on the report, not on how well the keeper copes.
 */
@Tag("chain")
class FleetReportTest {

    /** 40 vaults of 2 WETH cross their trigger (at 2,975) within two blocks of 3,400 -> 2,950. */
    static final Scenario FLEET = ScenarioFixtures.parse("""
            name: fleet-40
            blockTime: 12
            market:
              collateral: {symbol: WETH, decimals: 18}
              loan: {symbol: USDC, decimals: 6}
              lltv: 0.86
              price: 3400
              pools:
                - {dex: uniswap-v3, fee: 500, depth: 10000000}
                - {dex: uniswap-v3, fee: 3000, depth: 5000000}
                - {dex: uniswap-v2, depth: 5000000}
            prices:
              - {block: 0, price: 3400}
              - {block: 2, price: 2950}
              - {block: 10, price: 2600}
            settleBlocks: 3
            vaults:
              - {name: fleet, count: 40, collateral: 2, ltv: 0.70, keeper: true,
                 policy: {trigger: 0.80, target: 0.70, maxSlippageBps: 300}}
            """);

    @Test
    void theKeeperTotalsAgreeWithTheActions() {
        List<long[]> fleetLines = new ArrayList<>();
        SimulationReport r = new SimulationRunner(
                        FLEET, SimulationRunner.Options.defaults(), new SimulationRunner.Listener() {
                            @Override
                            public void fleet(long block, int deleveraged, int waiting) {
                                fleetLines.add(new long[] {block, deleveraged, waiting});
                            }
                        })
                .run();

        assertThat(r.error()).isNull();
        assertThat(r.blocks()).isEqualTo(13);
        assertThat(r.vaults())
                .hasSize(40)
                .allSatisfy(v -> assertThat(v.triggerCrossedAtBlock()).isBetween(1L, 2L));
        List<SimulationReport.Action> actions =
                r.vaults().stream().flatMap(v -> v.actions().stream()).toList();
        long done = actions.stream().filter(a -> !a.reverted()).count();
        long reverted =
                actions.stream().filter(SimulationReport.Action::reverted).count();
        var k = r.keeper();
        assertThat(k.actions()).isEqualTo((int) done);
        // Every action's transaction was one the keeper sent (a transaction may carry several vaults' actions).
        long actionTxs =
                actions.stream().map(SimulationReport.Action::txHash).distinct().count();
        assertThat((long) k.sends()).isGreaterThanOrEqualTo(actionTxs);
        assertThat((long) k.reverted()).isEqualTo(reverted);
        assertThat(k.gasUsed()).isPositive();
        assertThat(k.gasUsed())
                .isGreaterThanOrEqualTo(actions.stream()
                        .mapToLong(SimulationReport.Action::gasUsed)
                        .max()
                        .orElse(0));
        long actedVaults = r.vaults().stream()
                .filter(v -> v.actions().stream().anyMatch(a -> !a.reverted()))
                .count();
        if (actedVaults == 0) assertThat(k.gasPerProtectedVault()).isNull();
        else assertThat(k.gasPerProtectedVault()).isEqualTo(Math.round((double) k.gasUsed() / actedVaults));
        assertThat(actions).filteredOn(SimulationReport.Action::reverted).allSatisfy(a -> {
            assertThat(a.collateralSold()).isEqualTo("0");
            assertThat(a.debtRepaid()).isEqualTo("0");
            assertThat(a.gasUsed()).isPositive();
            assertThat(a.kind()).isIn("sell", "topup");
        });
        // The block in which the fleet is over its trigger is summed up in one line.
        assertThat(fleetLines)
                .isNotEmpty()
                .allSatisfy(l -> assertThat(l[1] + l[2]).isGreaterThan(1));
        assertThat(fleetLines.get(0)[0]).isBetween(1L, 2L);
    }
}
