package io.unwind.app.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The two hedge scenarios as shipped ({@code scenarios/hedge-gap.yaml}, {@code scenarios/hedge-crash-rebound.yaml}),
 * played against the real keeper with the simulator's own settings: the reverse Morpho market, the owner's UnwindHedge,
 * the keeper's opens, releases and buy-backs through the real Uniswap pools. What is asserted is what the owner gets:
 * the vault alive or liquidated on chain, and its equity (the hedge's counted) at the end.
 */
@Tag("chain")
class HedgeScenarioTest {

    private static SimulationReport play(String file) {
        SimulationReport r = new SimulationRunner(
                        ScenarioLoader.load(Path.of(file)),
                        SimulationRunner.Options.defaults(),
                        new SimulationRunner.Listener() {})
                .run();
        r.vaults().stream().filter(v -> !v.name().startsWith("crowd")).forEach(v -> {
            System.out.printf(
                    "%s: liquidated %s, max LTV %s, equity %s -> %s (%s), hedge %s%n",
                    v.name(),
                    v.liquidated(),
                    v.maxLtv(),
                    v.equityStart(),
                    v.equityEnd(),
                    v.equityEnd().subtract(v.equityStart()),
                    v.hedge());
            v.actions()
                    .forEach(a -> System.out.printf(
                            "  block %d: %s %s, LTV %s -> %s%n",
                            a.block(), a.kind(), a.hedge() == null ? "" : a.hedge(), a.ltvBefore(), a.ltvAfter()));
        });
        assertThat(r.error()).isNull();
        return r;
    }

    private static SimulationReport.Vault vault(SimulationReport r, String name) {
        return r.vaults().stream()
                .filter(v -> v.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static BigDecimal change(SimulationReport.Vault v) {
        return v.equityEnd().subtract(v.equityStart());
    }

    private static List<SimulationReport.Action> of(SimulationReport.Vault v, String kind) {
        return v.actions().stream()
                .filter(a -> a.kind().equals(kind) && !a.reverted())
                .toList();
    }

    @Test
    void inAGapAfterAVolatileStretchTheHedgedOwnerKeepsMoreEquityThanItsUnhedgedTwins() {
        SimulationReport r = play("scenarios/hedge-gap.yaml");
        SimulationReport.Vault hedged = vault(r, "hedged");
        SimulationReport.Vault predictive = vault(r, "predictive");
        SimulationReport.Vault twin = vault(r, "twin");
        long gap = 31;

        // The same capital: the hedge's margin counts in equityStart as the twins' reserve does.
        assertThat(hedged.equityStart()).isEqualByComparingTo(twin.equityStart());
        assertThat(hedged.equityStart()).isEqualByComparingTo(predictive.equityStart());

        // Shorted in the swings, on the risk model's prediction, within the hedge's own target.
        List<SimulationReport.Action> opens = of(hedged, "hedge");
        assertThat(opens).isNotEmpty();
        assertThat(opens).allSatisfy(a -> {
            assertThat(a.block()).isLessThan(gap);
            assertThat(a.reason()).isEqualTo("predicted");
            assertThat(a.hedge().hedgeLtvAfter()).isLessThanOrEqualTo(new BigDecimal("0.65"));
        });
        // Still short when the price gapped: the short paid out.
        assertThat(hedged.hedge().pnl()).isPositive();
        assertThat(hedged.hedge().maxNotional()).isPositive();

        assertThat(twin.liquidated())
                .as("the trigger-only twin, still at 76%% in the gap")
                .isTrue();
        assertThat(hedged.liquidated()).isFalse();
        assertThat(change(hedged)).isGreaterThan(change(twin));
        assertThat(change(hedged)).isGreaterThan(change(predictive));
    }

    @Test
    void inACrashThatReboundsTheHedgedVaultIsToppedUpFromItsProfitAndKeepsMoreEquityThanItsSellingTwin() {
        SimulationReport r = play("scenarios/hedge-crash-rebound.yaml");
        SimulationReport.Vault hedged = vault(r, "hedged");
        SimulationReport.Vault seller = vault(r, "seller");
        SimulationReport.Vault bare = vault(r, "bare");
        assertThat(r.keeper().reverted())
                .as("keeper transactions that reverted")
                .isZero();

        assertThat(bare.liquidated()).isTrue();
        assertThat(seller.liquidated()).isFalse();
        assertThat(of(seller, "sell")).isNotEmpty();

        assertThat(hedged.liquidated()).isFalse();
        assertThat(of(hedged, "sell")).as("the hedged vault's sales").isEmpty();
        List<SimulationReport.Action> releases = of(hedged, "release");
        List<SimulationReport.Action> topUps = of(hedged, "topup");
        assertThat(releases).isNotEmpty();
        assertThat(topUps).isNotEmpty();
        // Topped up from what the hedge released: the first top-up comes after the first release.
        assertThat(topUps.get(0).block()).isGreaterThan(releases.get(0).block());
        assertThat(hedged.hedge().released()).isPositive();
        // Bought back in the rebound: nothing short at the end.
        assertThat(of(hedged, "unhedge")).isNotEmpty();
        assertThat(hedged.hedge().finalNotional()).isZero();
        assertThat(hedged.hedge().maxRatio()).isLessThanOrEqualTo(BigDecimal.ONE);

        assertThat(change(hedged)).isGreaterThan(change(seller));
    }

    /**
     * The false alarm: shorted on a prediction, then a rally. The short is bought back as the rally takes the vault out
     * of danger, long before the hedge nears its own trigger or the reverse market's LLTV; what it cost is there to see
     * against the same capital held as a reserve.
     */
    @Test
    void aFalseAlarmIsBoughtBackBeforeTheShortNearsItsTriggerAndItsCostShows() {
        SimulationReport r = play("scenarios/hedge-squeeze.yaml");
        SimulationReport.Vault hedged = vault(r, "hedged");
        SimulationReport.Vault plain = vault(r, "plain");
        assertThat(r.keeper().reverted())
                .as("keeper transactions that reverted")
                .isZero();
        assertThat(of(hedged, "hedge")).isNotEmpty();
        assertThat(of(hedged, "unhedge")).isNotEmpty();
        assertThat(hedged.hedge().finalNotional())
                .as("nothing short at the end")
                .isZero();
        assertThat(hedged.hedge().maxLtv()).as("the hedge's highest LTV").isLessThan(new BigDecimal("0.70"));
        assertThat(hedged.hedge().pnl()).as("the short lost in the rally").isNegative();
        assertThat(hedged.liquidated()).isFalse();
        assertThat(change(hedged)).isLessThan(change(plain));
    }
}
