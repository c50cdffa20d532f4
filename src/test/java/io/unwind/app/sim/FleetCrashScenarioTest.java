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
 * market, 160 of them crossing their trigger in the same block. What a market-wide crash asks of the keeper: nobody
 * protected liquidated where the market can absorb the selling, almost no gas burnt on reverts, the most urgent vault
 * served within two blocks of crossing, and the gas each protected vault cost reported.
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
        // 160 small vaults and the 400 WETH one cross in the same block, level: the largest is served first, and the
        // first to be served in every crossing block is served within two blocks.
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
        SimulationReport.Vault whale = r.vaults().stream()
                .filter(v -> v.name().equals("whale-a"))
                .findFirst()
                .orElseThrow();
        assertThat(reaction(whale))
                .as("the largest vault, level with the fleet")
                .isNotNull()
                .isLessThanOrEqualTo(2);
    }

    @Test
    void aCrashTheMarketCanAbsorbLiquidatesNoProtectedVault() {
        SimulationReport r = new SimulationRunner(
                        ScenarioLoader.load(Path.of("scenarios/fleet-crash.yaml")),
                        SimulationRunner.Options.defaults(),
                        new SimulationRunner.Listener() {})
                .run();

        aCrashOfAFleet(r);
        assertThat(r.keeper().protectedLiquidated()).isZero();
        assertThat(r.keeper().protectedVaults()).isEqualTo(162);
        System.out.printf(
                "fleet-crash: %d sends, %d reverted, %d gas per protected vault, reaction %s%n",
                r.keeper().sends(),
                r.keeper().reverted(),
                r.keeper().gasPerProtectedVault(),
                r.keeper().reactionBlocks());
    }
}
