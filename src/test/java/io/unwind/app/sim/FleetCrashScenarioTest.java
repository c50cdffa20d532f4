package io.unwind.app.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The fleet scenarios as shipped, played against the real keeper with the simulator's own settings: 162 vaults on one
 * market, 161 of them crossing their trigger in the same block; and 160 vaults on two markets (WETH and WBTC) crossing
 * together. What a market-wide crash asks of the keeper: nobody protected liquidated where the market can absorb the
 * selling, almost no gas burnt on reverts, the most urgent vault served within two blocks of crossing, and the gas each
 * protected vault cost reported.
 */
@Tag("chain")
class FleetCrashScenarioTest {

    /** Blocks from a vault's trigger crossing to its first action that did not revert; null if it never acted. */
    private static Long reaction(SimulationReport.Vault v) {
        if (v.triggerCrossedAtBlock() == null) return null;
        return v.actions().stream()
                .filter(a -> !a.reverted() && a.block() >= v.triggerCrossedAtBlock())
                .map(a -> a.block() - v.triggerCrossedAtBlock())
                .findFirst()
                .orElse(null);
    }

    private static void aCrashOfAFleet(SimulationReport r) {
        assertThat(r.error()).isNull();
        var k = r.keeper();
        assertThat(k.sends()).isPositive();
        assertThat(k.reverted()).as("reverted sends").isLessThanOrEqualTo(k.sends() / 100);
        assertThat(k.gasPerProtectedVault()).isNotNull().isPositive();
        // 150 or more vaults cross in one block; in every crossing block, the first served is served within two.
        Map<Long, List<SimulationReport.Vault>> byCrossing = r.vaults().stream()
                .filter(v -> v.triggerCrossedAtBlock() != null)
                .collect(Collectors.groupingBy(SimulationReport.Vault::triggerCrossedAtBlock));
        assertThat(byCrossing.values().stream().mapToInt(List::size).max().orElse(0))
                .isGreaterThanOrEqualTo(150);
        for (var e : byCrossing.entrySet()) {
            assertThat(e.getValue().stream()
                            .map(FleetCrashScenarioTest::reaction)
                            .filter(Objects::nonNull))
                    .as("the first served of the vaults crossing at block " + e.getKey())
                    .anySatisfy(x -> assertThat(x).isLessThanOrEqualTo(2));
        }
    }

    private static SimulationReport play(String file) {
        return new SimulationRunner(
                        ScenarioLoader.load(Path.of(file)),
                        SimulationRunner.Options.defaults(),
                        new SimulationRunner.Listener() {})
                .run();
    }

    private static void print(String name, SimulationReport r) {
        System.out.printf(
                "%s: %d sends, %d reverted, %d gas per protected vault, reaction %s%n",
                name,
                r.keeper().sends(),
                r.keeper().reverted(),
                r.keeper().gasPerProtectedVault(),
                r.keeper().reactionBlocks());
    }

    @Test
    void aCrashTheMarketCanAbsorbLiquidatesNoProtectedVault() {
        SimulationReport r = play("scenarios/fleet-crash.yaml");

        aCrashOfAFleet(r);
        assertThat(r.keeper().protectedLiquidated()).isZero();
        assertThat(r.keeper().protectedVaults()).isEqualTo(162);
        // The 400 WETH vault crosses with the 160 small ones, level with them: the largest is served first.
        SimulationReport.Vault whale = r.vaults().stream()
                .filter(v -> v.name().equals("whale-a"))
                .findFirst()
                .orElseThrow();
        assertThat(reaction(whale))
                .as("the largest vault, level with the fleet")
                .isNotNull()
                .isLessThanOrEqualTo(2);
        print("fleet-crash", r);
    }

    @Test
    void aFleetAcrossTwoCollateralAssetsLiquidatesNoProtectedVault() {
        SimulationReport r = play("scenarios/fleet-two-assets.yaml");

        aCrashOfAFleet(r);
        assertThat(r.keeper().protectedLiquidated()).isZero();
        assertThat(r.vaults().stream().map(SimulationReport.Vault::market).distinct())
                .containsExactlyInAnyOrder("weth", "wbtc");
        // Both fleets are protected; they share the keeper's quarter of each block (their pools are their own), and the
        // book serves whichever vaults are closest to their LLTV first, whatever their market.
        assertThat(r.vaults())
                .filteredOn(v -> v.market().equals("weth"))
                .hasSize(80)
                .allSatisfy(v -> assertThat(v.actions()).isNotEmpty());
        assertThat(r.vaults())
                .filteredOn(v -> v.market().equals("wbtc"))
                .hasSize(80)
                .allSatisfy(v -> assertThat(v.actions()).isNotEmpty());
        print("fleet-two-assets", r);
    }
}
